package org.netroot.server.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.netroot.server.testing.Processes;

/**
 * What the Linux boot-mode labs boot: Debian 12's kernel (from the Debian tree {@link LinuxRootLabTest}
 * builds once per cache folder) and tiny initramfs images built here around the machine's busybox,
 * that kernel's modules and, for iSCSI, the tree's iscsistart. They say what they do in {@link #SAID}
 * lines on the serial console:
 * <ul>
 * <li>{@link #initramfs} (kernel mode): prints {@code /proc/cmdline} and the iBFT, mounts its root from
 * the client's volume over iSCSI or NBD, prints the volume's marker, powers off;</li>
 * <li>{@link #ramdiskInitramfs} + {@link #rootImage} (ramdisk mode): fetches the root image over HTTP
 * into RAM, switches to it and leaves a shell on the console;</li>
 * <li>{@link #installerInitramfs} (install mode): writes a disk image onto the sanhook'd volume, reboots.</li>
 * </ul>
 */
final class TinyLinux {
    static final String SAID = "NETROOT-KERNEL ";
    static final String DONE = SAID + "done, powering off";
    static final String INSTALLED = SAID + "installer: system written, rebooting";
    private static final String TREE = "debian12-iscsi-root-v1.tar";

    private TinyLinux() {
    }

    /** Debian's kernel and the modules that read the iBFT (iscsi_boot_sysfs first: iscsi_ibft needs it). */
    record DebianKernel(Path kernel, List<Path> ibftModules) {
    }

    /** Debian's kernel, from the cached Debian tree; the tree is built first (minutes) when the cache has none. */
    static DebianKernel debianKernel(Path work) throws Exception {
        Path tarball = LinuxRootLabTest.CACHE.resolve(TREE);
        if (!Files.isRegularFile(tarball)) {
            LabPrerequisites.assumeDebianImageBuild();
            Path script = work.resolve("debian-iscsi-root.sh");
            try (InputStream in = TinyLinux.class.getResourceAsStream("/lab/debian-iscsi-root.sh")) {
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Processes.Combined r = Processes.runCombined(1800, "bash", script.toString(), LinuxRootLabTest.CACHE.toString(),
                    work.resolve("debian.img").toString());
            if (r.exit() != 0) throw new IOException("building the Debian tree failed:\n" + r.output());
            Files.deleteIfExists(work.resolve("debian.img"));
        }
        Processes.Result list = Processes.run(300, "tar", "-tf", tarball.toString());
        String kernel = member(list, "(\\./)?boot/vmlinuz-.*", tarball);
        String sysfs = member(list, ".*/kernel/drivers/scsi/iscsi_boot_sysfs\\.ko", tarball);
        String ibft = member(list, ".*/kernel/drivers/firmware/iscsi_ibft\\.ko", tarball);
        Path out = Files.createDirectories(work.resolve("kernel"));
        Processes.Result x = Processes.run(300, "tar", "-xf", tarball.toString(), "-C", out.toString(), kernel, sysfs, ibft);
        if (x.exitCode() != 0) throw new IOException("tar -xf " + tarball + ": " + x.all());
        return new DebianKernel(out.resolve(kernel), List.of(out.resolve(sysfs), out.resolve(ibft)));
    }

    private static String member(Processes.Result list, String pattern, Path tarball) throws IOException {
        return list.stdout().lines().filter(l -> l.matches(pattern)).findFirst()
                .orElseThrow(() -> new IOException("no " + pattern + " in " + tarball));
    }

    /**
     * Modules of Debian's kernel by file name ({@code "e1000"}) with everything they need, extracted from
     * the cached tree, in the order insmod must load them (what a module needs before it, per modules.dep).
     */
    static List<Path> debianModules(Path work, String... names) throws Exception {
        Path tarball = LinuxRootLabTest.CACHE.resolve(TREE);
        Processes.Result list = Processes.run(300, "tar", "-tf", tarball.toString());
        String depFile = member(list, "(\\./)?usr/lib/modules/[^/]+/modules\\.dep", tarball);
        String modulesDir = depFile.substring(0, depFile.lastIndexOf('/') + 1);
        Processes.Result dep = Processes.run(60, "tar", "-xOf", tarball.toString(), depFile);
        if (dep.exitCode() != 0) throw new IOException("tar -xOf " + depFile + ": " + dep.all());
        Map<String, List<String>> needs = new HashMap<>();
        for (String line : dep.stdout().lines().toList()) {
            int colon = line.indexOf(':');
            String rest = line.substring(colon + 1).strip();
            needs.put(line.substring(0, colon), rest.isEmpty() ? List.of() : List.of(rest.split("\\s+")));
        }
        Set<String> ordered = new LinkedHashSet<>();
        for (String name : names) {
            String module = needs.keySet().stream().filter(k -> k.endsWith("/" + name + ".ko")).findFirst()
                    .orElseThrow(() -> new IOException("Debian's kernel has no module " + name));
            // modules.dep lists a module's needs so that the last is loaded first (as modprobe does)
            List<String> first = new ArrayList<>(needs.get(module));
            Collections.reverse(first);
            ordered.addAll(first);
            ordered.add(module);
        }
        Path out = Files.createDirectories(work.resolve("kernel"));
        List<String> cmd = new ArrayList<>(List.of("tar", "-xf", tarball.toString(), "-C", out.toString()));
        ordered.forEach(m -> cmd.add(modulesDir + m));
        Processes.Result x = Processes.run(300, cmd);
        if (x.exitCode() != 0) throw new IOException("tar -xf " + tarball + ": " + x.all());
        return ordered.stream().map(m -> out.resolve(modulesDir + m)).toList();
    }

    /**
     * The kernel mode's initramfs (an uncompressed newc cpio the kernel unpacks as it is): busybox, its
     * libraries, Debian's modules and /init. The init prints {@code /proc/cmdline} and the iBFT, then mounts
     * its root from the client's volume and prints what the volume's {@link #ROOT_MARKER_FILE} holds:
     * over iSCSI when iPXE left a target in the iBFT (Debian's iscsistart logs in with what the iBFT says,
     * CHAP included), else over NBD when the command line has {@code nbdroot=HOST:PORT/EXPORT} (the
     * machine's nbd-client). The address comes from {@code netroot.ip=} on the command line.
     */
    static Path initramfs(Path work, DebianKernel kernel) throws Exception {
        Cpio cpio = busybox(List.of("sh", "mount", "cat", "echo", "poweroff", "sleep", "insmod", "ip", "mkdir", "ls",
                "dmesg", "tail"));
        String insmod = iscsiInitiator(cpio, work, kernel, "nbd", "ext4");
        Path nbdClient = Path.of("/usr/sbin/nbd-client");
        cpio.file("bin/nbd-client", Files.readAllBytes(nbdClient), 0755);
        hostLibraries(cpio, nbdClient);
        cpio.file("init", ("""
                #!/bin/sh
                export PATH=/bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                echo 1 > /proc/sys/kernel/printk  # the kernel's own lines would land inside ours
                mount -t devtmpfs dev /dev
                echo "%1$scmdline: $(cat /proc/cmdline)"
                %2$s
                b=/sys/firmware/ibft
                if [ -d $b/target0 ]; then
                  echo "%1$sibft: initiator=$(cat $b/initiator/initiator-name) target=$(cat $b/target0/target-name) target-ip=$(cat $b/target0/ip-addr) lun=$(cat $b/target0/lun) chap=$(cat $b/target0/chap-name)"
                else
                  echo "%1$sibft: none"
                fi
                for a in $(cat /proc/cmdline); do
                  case "$a" in nbdroot=*) nbd="${a#*=}";; esac
                done
                %5$s
                if [ -d $b/target0 ]; then
                  transport=iscsi
                  %6$s
                  dev=/dev/sda
                elif [ -n "$nbd" ]; then
                  transport=nbd
                  hostport="${nbd%%%%/*}"
                  nbd-client -N "${nbd#*/}" "${hostport%%%%:*}" "${hostport##*:}" /dev/nbd0 2>&1 | tail -5
                  dev=/dev/nbd0
                fi
                i=0; until mount -t ext4 -o ro "$dev" /mnt 2>/dev/null || [ $i -ge 30 ]; do sleep 1; i=$((i+1)); done
                if [ -f /mnt/%3$s ]; then
                  echo "%1$sroot over $transport: $(cat /mnt/%3$s)"
                else
                  echo "%1$sroot over $transport: not mounted from ${dev:-nothing}"
                  dmesg | tail -20
                fi
                echo "%4$s"
                poweroff -f
                sleep 30
                """).formatted(SAID, insmod, ROOT_MARKER_FILE, DONE, NETWORK_UP, ISCSI_LOGIN)
                .getBytes(StandardCharsets.US_ASCII), 0755);
        Path out = work.resolve("initrd.cpio");
        Files.write(out, cpio.finish());
        return out;
    }

    /** Shell lines that bring up eth0 with {@code netroot.ip=} from the command line and wait for its link. */
    private static final String NETWORK_UP = """
            for a in $(cat /proc/cmdline); do case "$a" in netroot.ip=*) ip="${a#*=}";; esac; done
            i=0; while [ ! -d /sys/class/net/eth0 ] && [ $i -lt 20 ]; do sleep 1; i=$((i+1)); done
            ip link set eth0 up
            ip addr add "$ip/24" dev eth0
            i=0; until [ "$(cat /sys/class/net/eth0/carrier 2>/dev/null)" = 1 ] || [ $i -ge 20 ]; do sleep 1; i=$((i+1)); done
            """.strip();

    /** Shell line that logs in to the iBFT's target with Debian's iscsistart (see {@link #iscsiInitiator}). */
    private static final String ISCSI_LOGIN =
            "/iscsi/ld-linux-x86-64.so.2 --library-path /iscsi /iscsi/iscsistart -b 2>&1 | tail -5";

    /**
     * Puts into {@code cpio} what logs in to the volume iPXE described in the iBFT: Debian's iBFT, e1000,
     * crc32c, iscsi_tcp and sd_mod modules (plus {@code moreModules}), and iscsistart with its libraries
     * under /iscsi; returns the insmod lines.
     */
    private static String iscsiInitiator(Cpio cpio, Path work, DebianKernel kernel, String... moreModules) throws Exception {
        for (String dir : List.of("mnt", "etc", "etc/iscsi", "run", "run/lock", "var", "var/lock", "tmp")) cpio.dir(dir);
        List<Path> modules = new ArrayList<>(kernel.ibftModules());
        List<String> names = new ArrayList<>(List.of("e1000", "crc32c_generic", "iscsi_tcp", "sd_mod"));
        names.addAll(List.of(moreModules));
        // crc32c: ext4 will not mount without it, and iscsi_tcp cannot create a connection (-ENOMEM to iscsistart)
        modules.addAll(debianModules(work, names.toArray(String[]::new)));
        DebianProgram iscsistart = debianProgram(work, "usr/sbin/iscsistart");
        cpio.dir("iscsi");
        cpio.file("iscsi/iscsistart", Files.readAllBytes(iscsistart.binary()), 0755);
        for (var lib : iscsistart.libraries().entrySet()) {
            cpio.file("iscsi/" + lib.getKey(), Files.readAllBytes(lib.getValue()), 0755);
        }
        return modules(cpio, modules);
    }

    /**
     * A test installer's initramfs for install mode: logs in to the volume iPXE sanhook'd (through the
     * iBFT, as the kernel mode's does), writes {@code system} (a disk image) onto it whole, syncs and
     * reboots the PC, which then boots what it wrote.
     */
    static Path installerInitramfs(Path work, DebianKernel kernel, Path system) throws Exception {
        Cpio cpio = busybox(List.of("sh", "mount", "cat", "echo", "sleep", "insmod", "ip", "tail", "dd", "sync",
                "reboot", "poweroff"));
        String insmod = iscsiInitiator(cpio, work, kernel);
        cpio.file("system.img", Files.readAllBytes(system), 0644);
        cpio.file("init", ("""
                #!/bin/sh
                export PATH=/bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                echo 1 > /proc/sys/kernel/printk  # the kernel's own lines would land inside ours
                mount -t devtmpfs dev /dev
                %2$s
                %3$s
                %4$s
                i=0; until [ -b /dev/sda ] || [ $i -ge 30 ]; do sleep 1; i=$((i+1)); done
                if [ ! -b /dev/sda ]; then echo "%1$sinstaller: no SAN disk"; poweroff -f; fi
                echo "%1$sinstaller: writing the system onto /dev/sda ($(cat /sys/block/sda/size) sectors)"
                dd if=/system.img of=/dev/sda bs=1M conv=fsync 2>&1 | tail -1
                sync
                echo "%5$s"
                reboot -f
                sleep 30
                """).formatted(SAID, insmod, NETWORK_UP, ISCSI_LOGIN, INSTALLED)
                .getBytes(StandardCharsets.US_ASCII), 0755);
        Path out = work.resolve("installer-initrd.cpio");
        Files.write(out, cpio.finish());
        return out;
    }

    /** The file on the volume's root file system whose text the kernel-mode init prints. */
    static final String ROOT_MARKER_FILE = "netroot-marker";

    /** A raw ext4 volume image of {@code mib} MiB whose root holds {@link #ROOT_MARKER_FILE} with {@code marker}. */
    static Path markerVolume(Path work, String marker, int mib) throws Exception {
        Path content = Files.createDirectories(work.resolve("marker-root"));
        Files.writeString(content.resolve(ROOT_MARKER_FILE), marker + "\n", StandardCharsets.US_ASCII);
        Path image = work.resolve("marker-root.ext4");
        Processes.Result r = Processes.run(60, "mkfs.ext4", "-q", "-F", "-d", content.toString(),
                image.toString(), mib + "M");
        if (r.exitCode() != 0) throw new IOException("mkfs.ext4: " + r.all());
        return image;
    }

    /**
     * A program of the Debian tree with the libraries it loads (file name to extracted file, found through
     * DT_NEEDED in the tree, not on this machine) and the tree's loader as {@code ld-linux-x86-64.so.2}:
     * run as {@code LOADER --library-path DIR PROGRAM} it never mixes with the machine's own libraries.
     */
    record DebianProgram(Path binary, Map<String, Path> libraries) {
    }

    static DebianProgram debianProgram(Path work, String program) throws Exception {
        Path tarball = LinuxRootLabTest.CACHE.resolve(TREE);
        Processes.Result list = Processes.run(300, "tar", "-tvf", tarball.toString());
        if (list.exitCode() != 0) throw new IOException("tar -tvf " + tarball + ": " + list.all());
        Map<String, String> links = new HashMap<>();
        Set<String> members = new HashSet<>();
        Matcher line = Pattern.compile("^(\\S)\\S*\\s+\\S+\\s+\\d+\\s+\\S+\\s+\\S+\\s+(.*)$", Pattern.MULTILINE)
                .matcher(list.stdout());
        while (line.find()) {
            String rest = line.group(2);
            String name = rest;
            if (line.group(1).equals("l")) {
                int arrow = rest.indexOf(" -> ");
                name = rest.substring(0, arrow);
                links.put(strip(name), rest.substring(arrow + 4));
            }
            members.add(strip(name));
        }
        String libDir = "usr/lib/x86_64-linux-gnu/";
        Path out = Files.createDirectories(work.resolve("debian-programs"));
        Map<String, Path> libs = new LinkedHashMap<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        Path binary = extract(tarball, out, resolve(program, links, members));
        todo.add(binary.toString());
        libs.put("ld-linux-x86-64.so.2", extract(tarball, out, resolve(libDir + "ld-linux-x86-64.so.2", links, members)));
        while (!todo.isEmpty()) {
            Processes.Result d = Processes.run(30, "readelf", "-d", todo.poll());
            Matcher needed = Pattern.compile("\\(NEEDED\\).*\\[(.+)]").matcher(d.stdout());
            while (needed.find()) {
                String soname = needed.group(1);
                if (libs.containsKey(soname)) continue;
                Path lib = extract(tarball, out, resolve(libDir + soname, links, members));
                libs.put(soname, lib);
                todo.add(lib.toString());
            }
        }
        return new DebianProgram(binary, libs);
    }

    private static String strip(String member) {
        return member.startsWith("./") ? member.substring(2) : member;
    }

    /** The regular file {@code path} names in the tree, following symbolic links (relative or absolute). */
    private static String resolve(String path, Map<String, String> links, Set<String> members) throws IOException {
        String p = path;
        for (int hops = 0; links.containsKey(p); hops++) {
            if (hops > 10) throw new IOException("link loop at " + path);
            String target = links.get(p);
            p = target.startsWith("/") ? target.substring(1)
                    : Path.of(p).getParent().resolve(target).normalize().toString();
        }
        if (!members.contains(p)) throw new IOException("the Debian tree has no " + path + " (looked for " + p + ")");
        return p;
    }

    private static Path extract(Path tarball, Path out, String member) throws Exception {
        Processes.Result x = Processes.run(300, "tar", "-xf", tarball.toString(), "-C", out.toString(), "./" + member);
        if (x.exitCode() != 0) throw new IOException("tar -xf " + tarball + " ./" + member + ": " + x.all());
        return out.resolve(member);
    }

    /**
     * The ramdisk mode's initramfs: brings up the e1000 with the address on its command line
     * ({@code netroot.ip=}), fetches the root image ({@code netroot.root=URL}, a newc cpio) with wget,
     * unpacks it into a tmpfs and switches to it. From then on nothing comes from the server.
     */
    static Path ramdiskInitramfs(Path work, List<Path> nicModules) throws Exception {
        Cpio cpio = busybox(List.of("sh", "mount", "cat", "echo", "poweroff", "sleep", "insmod", "ip", "wget", "cpio",
                "switch_root", "rm", "ls"));
        cpio.dir("root");
        String insmod = modules(cpio, nicModules);
        cpio.file("init", ("""
                #!/bin/sh
                export PATH=/bin
                mount -t proc proc /proc
                mount -t sysfs sysfs /sys
                echo 1 > /proc/sys/kernel/printk  # the kernel's own lines would land inside ours
                %s
                for a in $(cat /proc/cmdline); do case "$a" in netroot.root=*) url="${a#*=}";; esac; done
                %s
                echo "%sfetching $url as $ip"
                i=0; until wget -q -O /root.cpio "$url"; do
                  i=$((i+1)); [ $i -ge 20 ] && { echo "%scannot fetch $url"; poweroff -f; }; sleep 1
                done
                mount -t tmpfs -o size=64m ram /root
                (cd /root && cpio -i -d < /root.cpio) 2>/dev/null
                rm /root.cpio
                echo "%sroot image unpacked into RAM, switching to it"
                exec switch_root /root /init
                """).formatted(insmod, NETWORK_UP, SAID, SAID, SAID)
                .getBytes(StandardCharsets.US_ASCII), 0755);
        Path out = work.resolve("ramdisk-initrd.cpio");
        Files.write(out, cpio.finish());
        return out;
    }

    /**
     * The ramdisk mode's root image: busybox, a file with {@code secret} (never printed by itself, so it
     * can only reach the serial console when someone asks for it), and an /init that says {@code ready}
     * and leaves a shell on the console.
     */
    static Path rootImage(Path work, String ready, String secret) throws Exception {
        Cpio cpio = busybox(List.of("sh", "mount", "cat", "echo", "poweroff", "sleep", "ls"));
        cpio.dir("etc");
        cpio.file("etc/netroot-secret", (secret + "\n").getBytes(StandardCharsets.US_ASCII), 0644);
        cpio.file("init", ("""
                #!/bin/sh
                export PATH=/bin
                mount -t proc proc /proc
                echo "%s"
                exec sh
                """).formatted(ready).getBytes(StandardCharsets.US_ASCII), 0755);
        Path out = work.resolve("root-image.cpio");
        Files.write(out, cpio.finish());
        return out;
    }

    /** A cpio with the machine's busybox, its libraries, {@code applets} as links to it and /dev/console. */
    private static Cpio busybox(List<String> applets) throws Exception {
        Cpio cpio = new Cpio();
        for (String dir : List.of("bin", "dev", "proc", "sys", "modules")) cpio.dir(dir);
        cpio.charDevice("dev/console", 5, 1); // init's stdin, stdout and stderr before anything is mounted
        Path busybox = Path.of("/usr/bin/busybox");
        cpio.file("bin/busybox", Files.readAllBytes(busybox), 0755);
        for (String applet : applets) cpio.symlink("bin/" + applet, "busybox");
        hostLibraries(cpio, busybox);
        return cpio;
    }

    /** The machine's libraries {@code binary} loads, at their own paths (each once, whoever else needs it). */
    private static void hostLibraries(Cpio cpio, Path binary) throws Exception {
        for (Path lib : libraries(binary)) {
            Path parent = lib.getParent();
            for (int i = 1; i <= parent.getNameCount(); i++) cpio.dir(parent.subpath(0, i).toString());
            cpio.fileOnce(lib.toString().substring(1), Files.readAllBytes(lib.toRealPath()), 0755);
        }
    }

    /** Puts {@code modules} into /modules and returns the insmod lines that load them in order. */
    private static String modules(Cpio cpio, List<Path> modules) throws IOException {
        StringBuilder insmod = new StringBuilder();
        for (Path module : modules) {
            cpio.file("modules/" + module.getFileName(), Files.readAllBytes(module), 0644);
            insmod.append("insmod /modules/").append(module.getFileName()).append('\n');
        }
        return insmod.toString().strip();
    }

    /** The shared libraries {@code ldd} says the binary loads, its interpreter included. */
    private static Set<Path> libraries(Path binary) throws Exception {
        Processes.Result r = Processes.run(30, "ldd", binary.toString());
        if (r.exitCode() != 0) throw new IOException("ldd " + binary + ": " + r.all());
        Set<Path> libs = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(/\\S+) \\(0x").matcher(r.stdout());
        while (m.find()) libs.add(Path.of(m.group(1)));
        return libs;
    }

    /** An SVR4 "newc" cpio archive (what the kernel's initramfs unpacker reads), written in memory. */
    static final class Cpio {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final Set<String> dirs = new LinkedHashSet<>();
        private final Set<String> files = new HashSet<>();
        private int ino = 1;

        void dir(String name) {
            if (dirs.add(name)) entry(name, 0040755, 0, 0, new byte[0]);
        }

        void file(String name, byte[] data, int mode) {
            entry(name, 0100000 | mode, 0, 0, data);
        }

        /** A file that several programs bring (a shared library): the first one in wins. */
        void fileOnce(String name, byte[] data, int mode) {
            if (files.add(name)) file(name, data, mode);
        }

        void symlink(String name, String target) {
            entry(name, 0120777, 0, 0, target.getBytes(StandardCharsets.US_ASCII));
        }

        void charDevice(String name, int major, int minor) {
            entry(name, 0020600, major, minor, new byte[0]);
        }

        byte[] finish() {
            entry("TRAILER!!!", 0, 0, 0, new byte[0]);
            return out.toByteArray();
        }

        private void entry(String name, int mode, int rdevMajor, int rdevMinor, byte[] data) {
            byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
            List<Integer> fields = new ArrayList<>(List.of(name.equals("TRAILER!!!") ? 0 : ino++, mode, 0, 0,
                    (mode & 0170000) == 0040000 ? 2 : 1, 0, data.length, 0, 0, rdevMajor, rdevMinor, n.length, 0));
            StringBuilder h = new StringBuilder("070701");
            for (int f : fields) h.append(String.format("%08x", f));
            out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(n);
            pad();
            out.writeBytes(data);
            pad();
        }

        private void pad() {
            while (out.size() % 4 != 0) out.write(0);
        }
    }
}
