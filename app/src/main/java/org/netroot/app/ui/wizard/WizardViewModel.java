package org.netroot.app.ui.wizard;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.netroot.server.api.DhcpProbeResult;
import org.netroot.server.api.IpxeCheck;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.NetworkInterfaceInfo;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.api.SettingsCheck;

/**
 * The first-run wizard's state and steps: pick the interface (the first servable one preselected),
 * probe it for a DHCP server, keep or edit the recommended mode and range, check the iPXE files,
 * then the first PC. {@link #next()} moves on (probing or checking in the background first);
 * {@link #finish()} saves the settings (and the first client). Server calls run on {@code io},
 * their results are applied through {@code ui} (the FX thread in the app, the caller in tests).
 */
public final class WizardViewModel {
    static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    private final Supplier<NetrootControl> control;
    private final Executor io;
    private final Executor ui;
    private final ObjectProperty<WizardStep> step = new SimpleObjectProperty<>(WizardStep.INTERFACE);
    private final ObservableList<NetworkInterfaceInfo> interfaces = FXCollections.observableArrayList();
    private final ObjectProperty<NetworkInterfaceInfo> selected = new SimpleObjectProperty<>();
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty busyText = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final ObjectProperty<DhcpProbeResult> probe = new SimpleObjectProperty<>();
    private final ObjectProperty<IpxeCheck> ipxe = new SimpleObjectProperty<>();
    private final BooleanProperty done = new SimpleBooleanProperty(false);
    private final StringProperty ipxeFolder = new SimpleStringProperty("");
    private final DhcpChoice dhcp = new DhcpChoice();
    private final FirstClientForm firstClient = new FirstClientForm();
    private ServerSettings saved = ServerSettings.none();

    public WizardViewModel(Supplier<NetrootControl> control, Executor io, Executor ui) {
        this.control = control;
        this.io = io;
        this.ui = ui;
    }

    /** Reads the interfaces and the saved settings; preselects the saved interface, else the first servable. */
    public void load() {
        background("Looking at this machine's network interfaces...", c -> {
            List<NetworkInterfaceInfo> list = c.networkInterfaces(false);
            ServerSettings s = c.settings();
            return () -> {
                saved = s;
                interfaces.setAll(list);
                selected.set(list.stream().filter(i -> s.interfaces().contains(i.name())).findFirst()
                        .or(() -> list.stream().filter(NetworkInterfaceInfo::servable).findFirst())
                        .orElse(list.isEmpty() ? null : list.getFirst()));
            };
        });
    }

    /** Goes to the next page; from the interface page only once the probe answered. */
    public void next() {
        if (busy.get() || done.get()) return;
        error.set("");
        switch (step.get()) {
            case INTERFACE -> probeSelected();
            case DHCP -> {
                List<String> problems = SettingsCheck.problems(settings(), new ArrayList<>(interfaces));
                if (!problems.isEmpty()) {
                    error.set(capitalized(String.join("; ", problems)));
                    return;
                }
                checkIpxe();
            }
            case IPXE -> step.set(WizardStep.FIRST_CLIENT);
            case FIRST_CLIENT -> finish();
        }
    }

    public void back() {
        if (busy.get() || step.get().ordinal() == 0) return;
        error.set("");
        step.set(WizardStep.values()[step.get().ordinal() - 1]);
    }

    private void probeSelected() {
        NetworkInterfaceInfo nif = selected.get();
        if (nif == null) {
            error.set("Choose the network interface your PCs are connected to.");
            return;
        }
        background("Looking for a DHCP server on " + nif.name() + " (a DHCP DISCOVER, then "
                + PROBE_WAIT.toSeconds() + " s of listening)...", c -> {
            DhcpProbeResult r = c.probeDhcp(nif.name(), PROBE_WAIT);
            return () -> {
                probe.set(r);
                dhcp.recommend(r);
                step.set(WizardStep.DHCP);
            };
        });
    }

    /** Checks the iPXE files again (after installing them), staying on the page. */
    public void checkIpxe() {
        background("Checking the iPXE boot files...", c -> {
            IpxeCheck check = c.ipxeCheck();
            return () -> {
                if (ipxe.get() == null || ipxeFolder.get().isBlank()) ipxeFolder.set(check.folder());
                ipxe.set(check);
                step.set(WizardStep.IPXE);
            };
        });
    }

    /** Saves the settings and, when asked for, the first client with its new volume; then {@link #done()} is true. */
    public void finish() {
        List<String> problems = firstClient.problems();
        if (!problems.isEmpty()) {
            error.set(capitalized(String.join("; ", problems)));
            return;
        }
        ServerSettings settings = settings();
        boolean addClient = firstClient.addNow().get();
        var client = addClient ? firstClient.client() : null;
        long size = firstClient.sizeBytes();
        background("Saving the settings...", c -> {
            c.saveSettings(settings);
            if (addClient) {
                if (c.volumes().stream().noneMatch(v -> v.name().equals(client.volumeName()))) {
                    c.createVolume(client.volumeName(), size);
                }
                c.addClient(client);
            }
            return () -> {
                saved = settings;
                done.set(true);
            };
        });
    }

    /** The settings this wizard would save now: the saved ones with the chosen interface and DHCP choice. */
    public ServerSettings settings() {
        NetworkInterfaceInfo nif = selected.get();
        ServerSettings base = saved.withInterfaces(nif == null ? List.of() : List.of(nif.name()));
        IpxeCheck checked = ipxe.get();
        String folder = ipxeFolder.get().trim();
        if (checked != null && !folder.isEmpty() && !folder.equals(checked.folder())) base = base.withIpxeDir(folder);
        return dhcp.applyTo(base);
    }

    private interface Call {
        Runnable run(NetrootControl c) throws Exception;
    }

    private void background(String what, Call call) {
        busy.set(true);
        busyText.set(what);
        io.execute(() -> {
            Runnable apply;
            try {
                NetrootControl c = control.get();
                if (c == null) throw new IllegalStateException("not connected to the data folder yet: try again");
                apply = call.run(c);
            } catch (Exception e) {
                String words = e.getMessage() == null ? e.toString() : e.getMessage();
                apply = () -> error.set(capitalized(words));
            }
            Runnable then = apply;
            ui.execute(() -> {
                busy.set(false);
                busyText.set("");
                then.run();
            });
        });
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public ObjectProperty<WizardStep> step() {
        return step;
    }

    public ObservableList<NetworkInterfaceInfo> interfaces() {
        return interfaces;
    }

    public ObjectProperty<NetworkInterfaceInfo> selected() {
        return selected;
    }

    public BooleanProperty busy() {
        return busy;
    }

    public StringProperty busyText() {
        return busyText;
    }

    /** What went wrong or needs fixing, in words, for the line above the buttons; empty when nothing. */
    public StringProperty error() {
        return error;
    }

    public ObjectProperty<DhcpProbeResult> probe() {
        return probe;
    }

    public ObjectProperty<IpxeCheck> ipxe() {
        return ipxe;
    }

    /** The iPXE folder to save when the user typed another one than the checked folder. */
    public StringProperty ipxeFolder() {
        return ipxeFolder;
    }

    public DhcpChoice dhcp() {
        return dhcp;
    }

    public FirstClientForm firstClient() {
        return firstClient;
    }

    /** True once {@link #finish()} saved everything. */
    public BooleanProperty done() {
        return done;
    }
}
