package org.netroot.app.ui.wizard;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.netroot.server.api.Client;

/**
 * The last page: wait for the first PC to be discovered (the default: it appears as a card in
 * Clients, adopted with one click), or add a client and its new blank volume now.
 */
public final class FirstClientForm {
    static final long GIB = 1L << 30;
    private final BooleanProperty addNow = new SimpleBooleanProperty(false);
    private final StringProperty name = new SimpleStringProperty("pc1");
    private final StringProperty mac = new SimpleStringProperty("");
    private final StringProperty sizeGib = new SimpleStringProperty("32");

    public BooleanProperty addNow() {
        return addNow;
    }

    public StringProperty name() {
        return name;
    }

    public StringProperty mac() {
        return mac;
    }

    public StringProperty sizeGib() {
        return sizeGib;
    }

    /** What is wrong with the fields, in words; empty when waiting for discovery. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!addNow.get()) return out;
        if (!Client.isValidName(name.get().trim())) {
            out.add("the name " + name.get() + " cannot be used: lower-case letters, digits and '-' (up to 63), starting with a letter or digit");
        }
        try {
            Client.normalizeMac(mac.get().trim());
        } catch (IllegalArgumentException e) {
            out.add(mac.get().isBlank() ? "give the PC's MAC address (on a sticker, or in its firmware setup)"
                    : e.getMessage());
        }
        if (sizeBytes() <= 0) out.add("the disk size is a whole number of GiB, e.g. 32");
        return out;
    }

    /** The volume size, or 0 when the field is not a positive whole number. */
    public long sizeBytes() {
        try {
            long g = Long.parseLong(sizeGib.get().trim());
            return g > 0 && g < (1L << 33) ? g * GIB : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public Client client() {
        String n = name.get().trim();
        return Client.sanboot(n, mac.get().trim(), n).withGeneratedChap(); // CHAP both ways, as every new client
    }
}
