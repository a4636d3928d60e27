package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.netroot.server.api.Client;
import org.netroot.server.api.IscsiValues;

/**
 * What the add, adopt and edit dialogs edit, and whether it is complete: {@link #problem()} is the
 * first thing to fix in words, null when the form can be saved. No scene here: tested without a screen.
 */
public final class ClientForm {
    public enum Mode { ADD, EDIT }

    private static final String IPV4 = "((25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1?\\d?\\d)";

    private final Mode mode;
    private final Set<String> takenNames;
    private final Set<String> takenMacs;
    private final Set<String> volumeNames;
    private final boolean hadChap;
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty mac = new SimpleStringProperty("");
    private final BooleanProperty newVolume = new SimpleBooleanProperty(true);
    private final StringProperty size = new SimpleStringProperty("32 GiB");
    private final ObjectProperty<String> existingVolume = new SimpleObjectProperty<>();
    private final BooleanProperty chap = new SimpleBooleanProperty();
    private final StringProperty chapUser = new SimpleStringProperty("");
    private final StringProperty chapSecret = new SimpleStringProperty("");
    private final StringProperty reservedIp = new SimpleStringProperty("");
    /** The initiator name iPXE presents: the stored one when editing, else the one the name gives. */
    private final StringBinding initiatorIqn;
    private final ObservableList<String> otherIqns = FXCollections.observableArrayList();
    private final StringProperty newIqn = new SimpleStringProperty("");
    private final BooleanBinding canAddNewIqn;
    private final BootForm boot;
    private final StringBinding problem;

    /**
     * @param takenNames names and MACs of the other clients (the one edited excluded)
     * @param volumeNames every volume's name (a new volume takes the client's name)
     */
    public ClientForm(Mode mode, Collection<String> takenNames, Collection<String> takenMacs,
                      Collection<String> volumeNames, boolean hadChap) {
        this(mode, takenNames, takenMacs, volumeNames, hadChap, null, new BootForm());
    }

    /** @param storedIqn the initiator name iPXE presents now (editing); null: the one the client's name gives */
    private ClientForm(Mode mode, Collection<String> takenNames, Collection<String> takenMacs,
                       Collection<String> volumeNames, boolean hadChap, String storedIqn, BootForm boot) {
        this.mode = mode;
        this.boot = boot;
        this.takenNames = Set.copyOf(takenNames);
        this.takenMacs = Set.copyOf(takenMacs);
        this.volumeNames = Set.copyOf(volumeNames);
        this.hadChap = hadChap;
        this.initiatorIqn = Bindings.createStringBinding(() -> storedIqn != null ? storedIqn
                : Client.defaultInitiatorIqn(name.get().trim()), name);
        this.canAddNewIqn = Bindings.createBooleanBinding(() -> !newIqn.get().isBlank() && iqnsProblem() == null,
                newIqn, otherIqns, initiatorIqn);
        this.problem = Bindings.createStringBinding(this::findProblem, name, mac, newVolume, size, existingVolume,
                chap, chapUser, chapSecret, reservedIp, otherIqns, newIqn, boot.problem());
        chap.set(mode == Mode.ADD); // new clients log in with CHAP both ways, secrets generated
    }

    /** A form filled with a client's settings for editing (no secret: blank keeps the stored one). */
    public static ClientForm editing(Client c, Collection<String> otherNames, Collection<String> otherMacs,
                                     Collection<String> volumeNames) {
        ClientForm f = new ClientForm(Mode.EDIT, otherNames, otherMacs, volumeNames, c.chap(), c.initiatorIqn(),
                BootForm.of(c.bootMode(), c.boot()));
        f.name.set(c.name());
        f.mac.set(c.mac());
        f.newVolume.set(false);
        f.existingVolume.set(c.volumeName());
        f.chap.set(c.chap());
        f.chapUser.set(c.chapUser() == null ? "" : c.chapUser());
        f.reservedIp.set(c.reservedIp() == null ? "" : c.reservedIp());
        f.otherIqns.setAll(c.otherInitiatorIqns());
        return f;
    }

    private String findProblem() {
        String n = name.get().trim();
        if (mode == Mode.ADD) {
            if (n.isEmpty()) return "Give the client a name";
            if (!Client.isValidName(n)) return "A name is lower-case letters, digits and dashes, starting with a letter or digit";
            if (takenNames.contains(n)) return "A client named " + n + " exists already";
        }
        String m = normalizedMac();
        if (m == null) return "The MAC is six pairs of hex digits, like 52:54:00:12:34:56";
        if (takenMacs.contains(m)) return "Another client has the MAC " + m;
        if (newVolume.get()) {
            if (SizeText.parse(size.get()) <= 0) return "The size is a number with a unit, like 32 GiB or 500 MiB";
            if (volumeNames.contains(n)) return "A volume named " + n + " exists already: choose it, or another name";
        } else if (mode == Mode.ADD && existingVolume.get() == null) {
            return "Choose a volume, or a new blank one";
        }
        if (chap.get()) {
            String secret = chapSecret.get();
            // empty: the stored secret stays (edit) or new ones are generated (add, or CHAP turned on)
            if (!secret.isEmpty() && (secret.length() < 12 || secret.length() > 16)) {
                return "The CHAP secret is 12 to 16 characters (Windows initiators refuse others)";
            }
        }
        String ip = reservedIp.get().trim();
        if (!ip.isEmpty() && !ip.matches(IPV4)) return "The reserved address is an IPv4 address, like 192.168.1.50";
        String iqns = iqnsProblem();
        return iqns != null ? iqns : boot.problem().get();
    }

    /** The server's own check of the initiator names, the one typed but not added yet among them. */
    private String iqnsProblem() {
        String p = IscsiValues.initiatorIqnsProblem(initiatorIqns());
        return p == null ? null : Character.toUpperCase(p.charAt(0)) + p.substring(1);
    }

    /**
     * Every initiator name the client will have, the one iPXE presents first; a name typed but not
     * added yet counts too (Save keeps what the user typed).
     */
    public List<String> initiatorIqns() {
        List<String> all = new ArrayList<>(otherIqns.size() + 2);
        all.add(initiatorIqn.get());
        all.addAll(otherIqns);
        if (!newIqn.get().isBlank()) all.add(newIqn.get().trim());
        return all;
    }

    /** Moves the name typed into the list of other names; false (nothing changes) when it is blank or refused. */
    public boolean addNewIqn() {
        if (!canAddNewIqn.get()) return false;
        otherIqns.add(newIqn.get().trim());
        newIqn.set("");
        return true;
    }

    private String normalizedMac() {
        try {
            return Client.normalizeMac(mac.get());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The client as the form says (call when {@link #problem()} is null). */
    public Client toClient(Client original) {
        String n = name.get().trim();
        String volume = newVolume.get() ? n : existingVolume.get();
        String ip = reservedIp.get().trim();
        boolean on = chap.get();
        String secret = on && !chapSecret.get().isEmpty() ? chapSecret.get() : null;
        String user = on && !chapUser.get().isBlank() ? chapUser.get().trim() : null;
        boolean mutual = on && original != null && original.mutualChap();
        List<String> iqns = initiatorIqns();
        Client c = new Client(n, normalizedMac(), volume, boot.mode().get(), iqns.get(0),
                user, secret, mutual ? original.mutualChapUser() : null, null, ip.isEmpty() ? null : ip, on, mutual,
                iqns.subList(1, iqns.size()), boot.toOptions());
        // CHAP on without a secret typed in: generated ones (both ways), unless the client had CHAP (kept)
        return on && secret == null && !hadChap ? c.withGeneratedChap() : c;
    }

    /** The blank volume to create first, in bytes; 0 when the client uses an existing one. */
    public long newVolumeBytes() {
        return newVolume.get() ? SizeText.parse(size.get()) : 0;
    }

    public StringBinding problem() {
        return problem;
    }

    /** How the client boots: the mode and its options. */
    public BootForm boot() {
        return boot;
    }

    public Mode mode() {
        return mode;
    }

    public StringProperty name() {
        return name;
    }

    public StringProperty mac() {
        return mac;
    }

    public BooleanProperty newVolume() {
        return newVolume;
    }

    public StringProperty size() {
        return size;
    }

    public ObjectProperty<String> existingVolume() {
        return existingVolume;
    }

    public BooleanProperty chap() {
        return chap;
    }

    public StringProperty chapUser() {
        return chapUser;
    }

    public StringProperty chapSecret() {
        return chapSecret;
    }

    public StringProperty reservedIp() {
        return reservedIp;
    }

    /** The initiator name iPXE presents (not edited here: the booted OS's own or a second node's are the others). */
    public StringBinding initiatorIqn() {
        return initiatorIqn;
    }

    /** More initiator names that may log in to the client's target, as the user adds and removes them. */
    public ObservableList<String> otherIqns() {
        return otherIqns;
    }

    /** A name being typed, before {@link #addNewIqn()}. */
    public StringProperty newIqn() {
        return newIqn;
    }

    /** True when the name typed may be added: not blank, and the server would take it. */
    public BooleanBinding canAddNewIqn() {
        return canAddNewIqn;
    }
}
