package org.netroot.server.api;

/**
 * What the boot modes that take options were told, each null until given. A client keeps them all:
 * its {@link BootMode} picks which one applies (and a menu offers the others).
 */
public record BootOptions(KernelBoot kernel, RamdiskBoot ramdisk, InstallBoot install, MenuBoot menu) {
    public static final BootOptions NONE = new BootOptions(null, null, null, null);

    public BootOptions withKernel(KernelBoot k) {
        return new BootOptions(k, ramdisk, install, menu);
    }

    public BootOptions withRamdisk(RamdiskBoot r) {
        return new BootOptions(kernel, r, install, menu);
    }

    public BootOptions withInstall(InstallBoot i) {
        return new BootOptions(kernel, ramdisk, i, menu);
    }

    public BootOptions withMenu(MenuBoot m) {
        return new BootOptions(kernel, ramdisk, install, m);
    }

    /** True when no mode was given options (not a bean getter: JSON keeps only the components). */
    public boolean none() {
        return kernel == null && ramdisk == null && install == null && menu == null;
    }
}
