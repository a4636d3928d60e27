package org.netroot.server.dhcp;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.netroot.server.boot.ClientArchitecture;

/**
 * What a request says about the booting client: which firmware (option 93, option 60's Arch
 * field), whether it is PXE, UEFI HTTP boot or iPXE, its UUID (option 97).
 *
 * @param archOption93 the code from option 93, or -1 when not sent
 * @param archVendorClass the Arch field of option 60, or -1 when not sent
 */
public record BootRequest(
        String mac,
        String vendorClass,
        int archOption93,
        int archVendorClass,
        boolean ipxe,
        byte[] uuid) {

    private static final Pattern ARCH_FIELD = Pattern.compile("^(?:PXEClient|HTTPClient):Arch:(\\d{1,5})");

    public static BootRequest of(DhcpPacket packet) {
        DhcpOptions o = packet.options();
        String vendorClass = o.string(DhcpOptions.VENDOR_CLASS);
        int fromVendorClass = -1;
        if (vendorClass != null) {
            Matcher m = ARCH_FIELD.matcher(vendorClass);
            if (m.find()) fromVendorClass = Integer.parseInt(m.group(1));
        }
        return new BootRequest(packet.mac(), vendorClass, o.uint16(DhcpOptions.CLIENT_ARCH), fromVendorClass,
                isIpxe(o.bytes(DhcpOptions.USER_CLASS)), o.bytes(DhcpOptions.CLIENT_UUID));
    }

    /**
     * iPXE sends user class (option 77) "iPXE" — the reliable signal. Option 175 alone is not enough:
     * an EFI firmware that loaded iPXE may pass it on, and answering it with a script makes a loop.
     * Accepts both the plain string iPXE sends and the RFC 3004 length-prefixed form.
     */
    static boolean isIpxe(byte[] userClass) {
        if (userClass == null) return false;
        if ("iPXE".equals(new String(userClass, StandardCharsets.US_ASCII))) return true;
        int i = 0;
        while (i < userClass.length) {
            int len = userClass[i] & 0xff;
            if (i + 1 + len > userClass.length) return false;
            if (len == 4 && "iPXE".equals(new String(userClass, i + 1, 4, StandardCharsets.US_ASCII))) return true;
            i += 1 + len;
        }
        return false;
    }

    /** Option 93 wins over option 60's Arch field (PXE 2.1, RFC 4578): firmware fills 93 precisely. */
    public ClientArchitecture architecture() {
        if (archOption93 >= 0) return ClientArchitecture.of(archOption93);
        if (archVendorClass >= 0) return ClientArchitecture.of(archVendorClass);
        return pxeClient() ? ClientArchitecture.BIOS : ClientArchitecture.UNKNOWN;
    }

    /** Option 60 starts with "PXEClient": firmware PXE, and iPXE (which sends it too). */
    public boolean pxeClient() {
        return vendorClass != null && vendorClass.startsWith("PXEClient");
    }

    /** UEFI HTTP boot: option 60 starts with "HTTPClient" (UEFI 2.5 §24.7). */
    public boolean httpClient() {
        return vendorClass != null && vendorClass.startsWith("HTTPClient");
    }

    /** Anything network-booting we hand a boot file to. */
    public boolean wantsBoot() {
        return pxeClient() || httpClient() || ipxe;
    }

    /** The firmware in the words the app shows: "iPXE" (user class), "UEFI" (any EFI architecture) or "BIOS". */
    public String firmware() {
        if (ipxe) return "iPXE";
        return architecture().isUefi() ? "UEFI" : "BIOS";
    }

    /** For logs and boot events: the architecture and both sources, so a firmware that lies shows. */
    public String describeArchitecture() {
        ClientArchitecture a = architecture();
        return "arch " + a.code + " (" + a.label + "; option 93: " + (archOption93 < 0 ? "none" : archOption93)
                + ", option 60 Arch: " + (archVendorClass < 0 ? "none" : archVendorClass) + ")"
                + (ipxe ? ", iPXE" : "");
    }

    @Override
    public byte[] uuid() {
        return uuid == null ? null : uuid.clone();
    }
}
