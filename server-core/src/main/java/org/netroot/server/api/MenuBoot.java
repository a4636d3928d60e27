package org.netroot.server.api;

/**
 * The {@link BootMode#MENU} options: how long the menu waits, and the entry it then boots
 * ({@code defaultEntry}: "volume", "local", "shell", "kernel", "ramdisk", "install", or
 * "install-ASSET" for an ISO of the library; null: "volume", or "local" without a volume).
 */
public record MenuBoot(int timeoutSeconds, String defaultEntry) {
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;

    public MenuBoot {
        if (timeoutSeconds < 0) throw new IllegalArgumentException("the menu timeout cannot be negative: " + timeoutSeconds);
    }
}
