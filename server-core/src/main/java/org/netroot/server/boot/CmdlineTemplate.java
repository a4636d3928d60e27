package org.netroot.server.boot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel command line with {@code ${...}} variables, as a client's boot options hold it: either
 * the template itself or the name of a shipped one, optionally followed by more arguments (an
 * argument whose key the template has, {@code root=...} say, replaces the template's).
 *
 * <p>The expanded line goes into an iPXE script ({@code imgargs}) and to the kernel, so neither the
 * template nor a value may smuggle in what iPXE or the kernel would read differently: no quotes,
 * backslashes, {@code $} outside a known variable, {@code # ; | & < >} or control characters in the
 * template, and values are single words of a plain alphabet (a name, an address, an IQN, a URL).
 */
public final class CmdlineTemplate {
    /** The variables every template may use. */
    public static final List<String> VARIABLES = List.of("mac", "ip", "server", "client", "target-iqn", "initiator-iqn",
            "volume", "nbd-export", "nbd-server", "iscsi-port", "http");
    /** Only in a ramdisk's command line: where its root image is served. */
    public static final String ROOT_IMAGE_URL = "root-image-url";

    /** Linux's COMMAND_LINE_SIZE on x86, the terminating NUL included. */
    public static final int MAX_LENGTH = 2047;

    private static final Map<String, Shipped> SHIPPED = new LinkedHashMap<>();

    /** A template Netroot ships: its text and whether it boots a root on the client's iSCSI volume. */
    public record Shipped(String name, String text, boolean iscsi, String purpose) {
    }

    static {
        // Debian's and Ubuntu's open-iscsi initramfs: ISCSI_AUTO=true reaches init's environment, Ubuntu's
        // parser also reads iscsi_auto; both log in from what iPXE left in the iBFT (target, names, CHAP)
        ship(new Shipped("debian-iscsi", "ip=dhcp ISCSI_AUTO=true iscsi_auto root=/dev/sda1 rw", true,
                "Debian/Ubuntu initramfs, root on the iSCSI volume found through the iBFT"));
        // dracut: the iBFT gives the network and the login (rd.iscsi.ibft, rd.iscsi.firmware), netroot= the target
        ship(new Shipped("dracut-iscsi", "rd.iscsi.ibft=1 rd.iscsi.firmware=1 ip=ibft"
                + " netroot=iscsi:${server}::${iscsi-port}::${target-iqn} rd.iscsi.initiator=${initiator-iqn}"
                + " root=/dev/sda1 rw", true, "dracut (Fedora, RHEL, openSUSE), root on the iSCSI volume"));
        ship(new Shipped("nbd-root", "root=/dev/nbd0 nbdroot=${nbd-server}/${nbd-export} ip=dhcp rw", false,
                "root on the client's volume over NBD (nbd-client's initramfs)"));
        ship(new Shipped("live-fetch", "ip=dhcp boot=live fetch=${root-image-url}", false,
                "Debian live-boot: copies the root image (a squashfs) into RAM"));
        ship(new Shipped("dracut-live", "ip=dhcp root=live:${root-image-url} rd.live.ram=1", false,
                "dracut's dmsquash-live: copies the root image into RAM"));
    }

    private static void ship(Shipped t) {
        SHIPPED.put(t.name(), t);
    }

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");
    /** What a value may hold: one word iPXE and the kernel take literally. */
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9._:/,@+=-]+");
    private static final String FORBIDDEN = "\"'\\`;|&<>#";

    private CmdlineTemplate() {
    }

    public static List<Shipped> shipped() {
        return List.copyOf(SHIPPED.values());
    }

    /**
     * The template a setting stands for: a shipped one (its arguments first, replaced by the
     * setting's own of the same key) or the setting itself. Spaces are collapsed.
     */
    public static String resolve(String setting) {
        List<String> words = words(setting);
        if (words.isEmpty()) return "";
        Shipped shipped = SHIPPED.get(words.get(0));
        if (shipped == null) return String.join(" ", words);
        List<String> extra = words.subList(1, words.size());
        Set<String> overridden = new LinkedHashSet<>();
        for (String w : extra) overridden.add(key(w));
        List<String> out = new ArrayList<>();
        for (String w : words(shipped.text())) if (!overridden.contains(key(w))) out.add(w);
        out.addAll(extra);
        return String.join(" ", out);
    }

    /** Whether the setting boots a root on the iSCSI volume: the volume is then attached first, for the iBFT. */
    public static boolean usesIscsi(String setting) {
        List<String> words = words(setting);
        if (!words.isEmpty() && SHIPPED.containsKey(words.get(0))) return SHIPPED.get(words.get(0)).iscsi();
        String t = resolve(setting).toLowerCase(Locale.ROOT);
        return t.contains("iscsi") || t.contains("${target-iqn}") || t.contains("${initiator-iqn}") || t.contains("ip=ibft");
    }

    /**
     * Whether the setting mounts its root from the client's volume over NBD: the shipped nbd-root, or
     * a line naming the NBD export or server; {@code nbdroot=} (nbd-client's initramfs) and dracut's
     * {@code netroot=nbd:} or {@code root=nbd:} written by hand count too.
     */
    public static boolean usesNbd(String setting) {
        if (setting == null) return false;
        String t = resolve(setting);
        return t.contains("${nbd-export}") || t.contains("${nbd-server}") || t.contains("nbdroot=")
                || t.contains("netroot=nbd:") || t.contains("root=nbd:");
    }

    /**
     * Refuses, in words a user can act on, a setting that could not expand safely. {@code rootImage}:
     * whether {@code ${root-image-url}} is known (a ramdisk's command line).
     */
    public static void check(String setting, boolean rootImage) {
        String t = resolve(setting);
        if (t.isEmpty()) return;
        for (int i = 0; i < setting.length(); i++) {
            char c = setting.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException("the command line may hold printable ASCII and spaces only (found "
                        + (c == '\n' ? "a line break" : c == '\t' ? "a tab" : "character 0x" + Integer.toHexString(c)) + ")");
            }
            if (FORBIDDEN.indexOf(c) >= 0) {
                throw new IllegalArgumentException("the command line may not hold " + c + " (none of " + FORBIDDEN
                        + "): iPXE or the kernel would read it differently");
            }
        }
        Matcher m = VARIABLE.matcher(t);
        int end = 0;
        while (m.find()) {
            if (t.substring(end, m.start()).indexOf('$') >= 0) throw strayDollar();
            String name = m.group(1);
            if (!known(name, rootImage)) {
                throw new IllegalArgumentException("unknown variable ${" + name + "} in the command line: use "
                        + String.join(" ", known(rootImage).stream().map(v -> "${" + v + "}").toList()));
            }
            end = m.end();
        }
        if (t.substring(end).indexOf('$') >= 0) throw strayDollar();
        if (t.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the command line is " + t.length() + " characters: Linux takes " + MAX_LENGTH);
        }
    }

    /**
     * The command line with every variable replaced. A value that is not one plain word (a space,
     * a quote, iPXE's {@code ${}}...) or missing is refused, naming the variable.
     */
    public static String expand(String setting, Map<String, String> values) {
        String t = resolve(setting);
        Matcher m = VARIABLE.matcher(t);
        StringBuilder out = new StringBuilder(t.length() + 64);
        while (m.find()) {
            String name = m.group(1);
            String value = values.get(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("${" + name + "} has no value for this client");
            }
            if (!SAFE_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("${" + name + "} would put \"" + value + "\" into the command line: only"
                        + " letters, digits and . _ : / , @ + = - are taken");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        String line = out.toString();
        if (line.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the expanded command line is " + line.length() + " characters: Linux takes "
                    + MAX_LENGTH);
        }
        return line;
    }

    /** The variables a template may use; with {@code rootImage} also {@code root-image-url}. */
    public static List<String> known(boolean rootImage) {
        if (!rootImage) return VARIABLES;
        List<String> all = new ArrayList<>(VARIABLES);
        all.add(ROOT_IMAGE_URL);
        return all;
    }

    /** Whether the resolved setting names {@code ${variable}}. */
    public static boolean mentions(String setting, String variable) {
        return resolve(setting).contains("${" + variable + "}");
    }

    private static boolean known(String name, boolean rootImage) {
        return VARIABLES.contains(name) || (rootImage && ROOT_IMAGE_URL.equals(name));
    }

    private static IllegalArgumentException strayDollar() {
        return new IllegalArgumentException("the command line may hold $ only as a variable, like ${mac}");
    }

    private static List<String> words(String s) {
        if (s == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String w : s.trim().split(" +")) if (!w.isEmpty()) out.add(w);
        return out;
    }

    /** "root=/dev/sda1" -> "root"; a flag ("rw", "iscsi_auto") is its own key. */
    private static String key(String word) {
        int eq = word.indexOf('=');
        return eq < 0 ? word : word.substring(0, eq);
    }
}
