package org.netroot.app.ui.clients;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.InstallBoot;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.MenuBoot;
import org.netroot.server.api.RamdiskBoot;

/**
 * The boot part of the client form: the mode, and the fields of every mode that takes options. Each
 * mode keeps its own fields, so switching modes back and forth in the dialog loses nothing, as the
 * server keeps every mode's options. Only what the form can tell alone is a {@link #problem()} here
 * (a mode's asset not chosen, a timeout that is no number); the server checks the rest when saving
 * (assets of the right kind, the template's variables) and its words show in the dialog.
 */
public final class BootForm {
    private final ObjectProperty<BootMode> mode = new SimpleObjectProperty<>(BootMode.SANBOOT);
    private final ObjectProperty<String> kernel = new SimpleObjectProperty<>();
    private final ObjectProperty<String> kernelInitrd = new SimpleObjectProperty<>();
    private final StringProperty kernelCmdline = new SimpleStringProperty("");
    private final ObjectProperty<String> ramdiskKernel = new SimpleObjectProperty<>();
    private final ObjectProperty<String> ramdiskInitrd = new SimpleObjectProperty<>();
    private final ObjectProperty<String> rootImage = new SimpleObjectProperty<>();
    private final StringProperty ramdiskCmdline = new SimpleStringProperty("");
    private final ObjectProperty<String> installer = new SimpleObjectProperty<>();
    private final ObjectProperty<String> installInitrd = new SimpleObjectProperty<>();
    private final StringProperty installCmdline = new SimpleStringProperty("");
    private final BooleanProperty thenSanboot = new SimpleBooleanProperty(true);
    private final StringProperty menuTimeout = new SimpleStringProperty(String.valueOf(MenuBoot.DEFAULT_TIMEOUT_SECONDS));
    private final ObjectProperty<String> menuDefault = new SimpleObjectProperty<>();
    /** The menu options the client had, kept when its fields are no good and the mode is not the menu. */
    private MenuBoot storedMenu;
    /** The client had menu options, or the menu's fields were edited: then they are saved whatever the mode. */
    private boolean menuGiven;
    private final StringBinding problem;

    public BootForm() {
        problem = Bindings.createStringBinding(this::findProblem, mode, kernel, ramdiskKernel, rootImage, installer,
                menuTimeout);
        menuTimeout.addListener(o -> menuGiven = true);
        menuDefault.addListener(o -> menuGiven = true);
    }

    /** A form showing what the client boots now. */
    public static BootForm of(BootMode mode, BootOptions o) {
        BootForm f = new BootForm();
        f.mode.set(mode);
        if (o.kernel() != null) {
            f.kernel.set(o.kernel().kernel());
            f.kernelInitrd.set(o.kernel().initrd());
            f.kernelCmdline.set(blankIfNull(o.kernel().cmdline()));
        }
        if (o.ramdisk() != null) {
            f.ramdiskKernel.set(o.ramdisk().kernel());
            f.ramdiskInitrd.set(o.ramdisk().initrd());
            f.rootImage.set(o.ramdisk().rootImage());
            f.ramdiskCmdline.set(blankIfNull(o.ramdisk().cmdline()));
        }
        if (o.install() != null) {
            f.installer.set(o.install().installer());
            f.installInitrd.set(o.install().initrd());
            f.installCmdline.set(blankIfNull(o.install().cmdline()));
            f.thenSanboot.set(o.install().thenSanboot());
        }
        if (o.menu() != null) {
            f.storedMenu = o.menu();
            f.menuTimeout.set(String.valueOf(o.menu().timeoutSeconds()));
            f.menuDefault.set(o.menu().defaultEntry());
        }
        return f;
    }

    private String findProblem() {
        return switch (mode.get()) {
            case KERNEL -> kernel.get() == null ? "Choose the kernel to boot (add one in Assets first)" : null;
            case RAMDISK -> ramdiskKernel.get() == null || rootImage.get() == null
                    ? "Choose the kernel and the root image to run from RAM (add them in Assets first)" : null;
            case INSTALL -> installer.get() == null ? "Choose the installer: an ISO or a kernel of the assets" : null;
            case MENU -> timeoutSeconds() < 0 ? "The menu's timeout is a whole number of seconds (0 waits for a choice)"
                    : null;
            case SANBOOT, LOCAL, IGNORE -> null;
        };
    }

    /** The timeout typed, -1 when it is no whole number of seconds. */
    private int timeoutSeconds() {
        try {
            int t = Integer.parseInt(menuTimeout.get().trim());
            return t < 0 ? -1 : t;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The options as the form says: a mode's options are there once its main asset is chosen (the ones
     * not chosen stay unset, so the server does not find half a kernel mode in a menu later); the menu's
     * once the mode is the menu or its fields were given.
     */
    public BootOptions toOptions() {
        KernelBoot k = kernel.get() == null ? null : new KernelBoot(kernel.get(), kernelInitrd.get(), text(kernelCmdline));
        RamdiskBoot r = ramdiskKernel.get() == null && rootImage.get() == null ? null
                : new RamdiskBoot(ramdiskKernel.get(), ramdiskInitrd.get(), rootImage.get(), text(ramdiskCmdline));
        InstallBoot i = installer.get() == null ? null
                : new InstallBoot(installer.get(), installInitrd.get(), text(installCmdline), thenSanboot.get());
        MenuBoot m = (menuGiven || mode.get() == BootMode.MENU) && timeoutSeconds() >= 0
                ? new MenuBoot(timeoutSeconds(), menuDefault.get()) : storedMenu;
        return new BootOptions(k, r, i, m);
    }

    private static String text(StringProperty p) {
        String t = p.get() == null ? "" : p.get().trim();
        return t.isEmpty() ? null : t;
    }

    private static String blankIfNull(String s) {
        return s == null ? "" : s;
    }

    /** What to fix first, null when the boot part can be saved. */
    public StringBinding problem() {
        return problem;
    }

    public ObjectProperty<BootMode> mode() {
        return mode;
    }

    public ObjectProperty<String> kernel() {
        return kernel;
    }

    public ObjectProperty<String> kernelInitrd() {
        return kernelInitrd;
    }

    /** A template with ${...} variables or a shipped template's name, optionally followed by more arguments. */
    public StringProperty kernelCmdline() {
        return kernelCmdline;
    }

    public ObjectProperty<String> ramdiskKernel() {
        return ramdiskKernel;
    }

    public ObjectProperty<String> ramdiskInitrd() {
        return ramdiskInitrd;
    }

    public ObjectProperty<String> rootImage() {
        return rootImage;
    }

    /** Blank: the server's live-fetch template. */
    public StringProperty ramdiskCmdline() {
        return ramdiskCmdline;
    }

    /** An ISO, or a kernel (then with an initrd and a command line). */
    public ObjectProperty<String> installer() {
        return installer;
    }

    public ObjectProperty<String> installInitrd() {
        return installInitrd;
    }

    public StringProperty installCmdline() {
        return installCmdline;
    }

    /** After the first boot from the installed volume, the client boots it normally (sanboot). */
    public BooleanProperty thenSanboot() {
        return thenSanboot;
    }

    public StringProperty menuTimeout() {
        return menuTimeout;
    }

    /** A menu entry ("volume", "local", "install-ISO"...), null: the server's choice (the volume, else local). */
    public ObjectProperty<String> menuDefault() {
        return menuDefault;
    }
}
