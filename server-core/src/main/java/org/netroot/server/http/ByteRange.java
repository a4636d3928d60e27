package org.netroot.server.http;

/**
 * One byte range of an HTTP Range header (RFC 9110 §14), resolved against the file size.
 * iPXE's {@code sanboot http://} sends {@code Range: bytes=a-b}; multi-range requests are
 * answered with the whole file, which RFC 9110 allows.
 */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    public sealed interface Parsed permits Whole, Partial, Unsatisfiable {
    }

    public record Whole() implements Parsed {
    }

    public record Partial(ByteRange range) implements Parsed {
    }

    public record Unsatisfiable() implements Parsed {
    }

    public static Parsed parse(String header, long size) {
        if (header == null) return new Whole();
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return new Whole();
        String spec = h.substring(6).trim();
        if (spec.contains(",")) return new Whole();
        int dash = spec.indexOf('-');
        if (dash < 0) return new Whole();
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) { // suffix range: the last N bytes
                if (b.isEmpty()) return new Whole();
                long n = Long.parseLong(b);
                if (n <= 0 || size == 0) return new Unsatisfiable();
                return new Partial(new ByteRange(Math.max(0, size - n), size - 1));
            }
            long first = Long.parseLong(a);
            long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (first < 0 || first >= size) return new Unsatisfiable();
            if (last < first) return new Whole(); // syntactically invalid: ignore the header
            return new Partial(new ByteRange(first, last));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
