package org.netroot.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Every qcow2 image a test leaves in its {@code @TempDir} passes {@code qemu-img check} (exit 0: no
 * corruption, no leaked clusters), whatever the test itself asserted: the suite as a whole shows
 * that the images Netroot writes stay clean (issue 12), including those of tests that only meant
 * to exercise the iSCSI or CLI layers above the format. JUnit makes each {@code @TempDir} through
 * this factory ({@code junit.jupiter.tempdir.factory.default} in junit-platform.properties), which
 * remembers the folder with the test (or class) it belongs to; after that test's {@code @AfterEach}
 * methods (and after a class's {@code @AfterAll} for class-wide folders), before JUnit deletes the
 * folder, this extension (autodetected, META-INF/services) checks every file in it that starts with
 * the qcow2 magic and fails the test naming the image and qemu-img's words. Without qemu-img the
 * check is skipped (the qcow2 interop tests say so themselves). A test that damages an image on
 * purpose (failure injection, a raw file dressed up as qcow2) says so with {@link LeavesDamagedImages}.
 */
public final class Qcow2CheckedTempDirs implements TempDirFactory, AfterEachCallback, AfterAllCallback {
    /** On a test method or class that leaves damaged or fake qcow2 images on purpose: its folders are not checked. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.METHOD, ElementType.TYPE})
    public @interface LeavesDamagedImages {
        /** Why: what the test damages and why that is the point. */
        String value();
    }

    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};
    private static final long CHECK_SECONDS = 120;
    /** Folders made for each test or class, by JUnit's unique id of its context. */
    private static final Map<String, List<Path>> DIRS = new ConcurrentHashMap<>();

    @Override
    public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext) throws IOException {
        Path dir = Files.createTempDirectory("junit");
        DIRS.computeIfAbsent(extensionContext.getUniqueId(), k -> new CopyOnWriteArrayList<>()).add(dir);
        return dir;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Path> dirs = DIRS.remove(context.getUniqueId());
        if (dirs != null && !damagesOnPurpose(context.getRequiredTestMethod()) && !damagesOnPurpose(context.getRequiredTestClass())) {
            failOnProblems(dirs, context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        List<Path> dirs = new ArrayList<>();
        String prefix = context.getUniqueId();
        for (String id : List.copyOf(DIRS.keySet())) {
            if (id.startsWith(prefix)) {
                List<Path> d = DIRS.remove(id);
                if (d != null) dirs.addAll(d);
            }
        }
        if (!damagesOnPurpose(context.getRequiredTestClass())) failOnProblems(dirs, context);
    }

    private static boolean damagesOnPurpose(AnnotatedElement e) {
        return e.isAnnotationPresent(LeavesDamagedImages.class);
    }

    private static void failOnProblems(List<Path> dirs, ExtensionContext context) throws Exception {
        if (dirs.isEmpty() || !Processes.has("qemu-img")) return;
        List<String> problems = new ArrayList<>();
        for (Path dir : dirs) problems.addAll(problems(dir));
        if (!problems.isEmpty()) {
            throw new AssertionError("qcow2 image(s) left by " + context.getDisplayName() + " fail qemu-img check:\n"
                    + String.join("\n", problems));
        }
    }

    /** True while {@code dir} waits for its check: JUnit made it through this factory. */
    static boolean tracks(Path dir) {
        return DIRS.values().stream().anyMatch(d -> d.contains(dir));
    }

    /** What {@code qemu-img check} says of every qcow2 image below {@code dir} that is not clean; empty when all are. */
    public static List<String> problems(Path dir) throws IOException, InterruptedException {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> images;
        try (Stream<Path> files = Files.walk(dir)) {
            images = files.filter(Files::isRegularFile).filter(Qcow2CheckedTempDirs::isQcow2).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<String> problems = new ArrayList<>();
        for (Path image : images) {
            Processes.Result r = Processes.run(CHECK_SECONDS, "qemu-img", "check", "-f", "qcow2", image.toString());
            if (r.exitCode() != 0) {
                problems.add(dir.relativize(image) + " (exit " + r.exitCode() + "): " + r.all().strip());
            }
        }
        return problems;
    }

    private static boolean isQcow2(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Arrays.equals(in.readNBytes(4), QCOW2_MAGIC);
        } catch (IOException e) {
            return false; // gone or unreadable (a test's own permission games): not ours to judge
        }
    }
}
