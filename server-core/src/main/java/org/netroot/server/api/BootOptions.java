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

    /**
     * The assets {@code mode} boots with these options, by name: a menu offers every mode's, and its
     * default may name an ISO of the library ("install-NAME").
     */
    public java.util.List<String> assetsFor(BootMode mode) {
        java.util.List<String> names = new java.util.ArrayList<>();
        switch (mode) {
            case KERNEL -> kernelAssets(names);
            case RAMDISK -> ramdiskAssets(names);
            case INSTALL -> installAssets(names);
            case MENU -> {
                kernelAssets(names);
                ramdiskAssets(names);
                installAssets(names);
                String d = menu == null ? null : menu.defaultEntry();
                if (d != null && d.startsWith("install-")) names.add(d.substring("install-".length()));
            }
            case SANBOOT, LOCAL, IGNORE -> { }
        }
        names.removeIf(java.util.Objects::isNull);
        return java.util.List.copyOf(new java.util.LinkedHashSet<>(names));
    }

    private void kernelAssets(java.util.List<String> names) {
        if (kernel != null) names.addAll(java.util.Arrays.asList(kernel.kernel(), kernel.initrd()));
    }

    private void ramdiskAssets(java.util.List<String> names) {
        if (ramdisk != null) names.addAll(java.util.Arrays.asList(ramdisk.kernel(), ramdisk.initrd(), ramdisk.rootImage()));
    }

    private void installAssets(java.util.List<String> names) {
        if (install != null) names.addAll(java.util.Arrays.asList(install.installer(), install.initrd()));
    }

    /** True when no mode was given options (not a bean getter: JSON keeps only the components). */
    public boolean none() {
        return kernel == null && ramdisk == null && install == null && menu == null;
    }
}
