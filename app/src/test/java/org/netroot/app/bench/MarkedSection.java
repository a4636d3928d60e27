package org.netroot.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A section of a Markdown file between two HTML comments, as docs/benchmarks.md holds each
 * benchmark's results: writing it again replaces what was between the markers and keeps the rest
 * (other benchmarks' sections); a file without the markers gets the section appended.
 */
record MarkedSection(String begin, String end) {

    /** {@code body} is written between the markers; the markers themselves are added here. */
    void writeTo(Path file, String body) throws IOException {
        String block = begin + "\n" + body.strip() + "\n" + end + "\n";
        String old = Files.exists(file) ? Files.readString(file) : "";
        int from = old.indexOf(begin);
        int to = from < 0 ? -1 : old.indexOf(end, from);
        String text;
        if (from >= 0 && to >= 0) {
            int after = to + end.length();
            if (after < old.length() && old.charAt(after) == '\n') after++;
            text = old.substring(0, from) + block + old.substring(after);
        } else {
            text = old.isEmpty() ? block : old.stripTrailing() + "\n\n" + block;
        }
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
