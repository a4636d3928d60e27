package org.netroot.server.iscsi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The key=value pairs of Login and Text PDUs (RFC 7143 §6.1): UTF-8, each pair ended by a NUL.
 * Order is kept: answers go out in the order the keys came in.
 */
public final class TextParameters {
    private TextParameters() {
    }

    public static Map<String, String> parse(byte[] data) throws MalformedPduException {
        Map<String, String> out = new LinkedHashMap<>();
        int start = 0;
        for (int i = 0; i <= data.length; i++) {
            if (i < data.length && data[i] != 0) continue;
            if (i > start) {
                String pair = new String(data, start, i - start, StandardCharsets.UTF_8);
                int eq = pair.indexOf('=');
                if (eq <= 0) throw new MalformedPduException("text parameter without key=value: " + abbreviate(pair));
                String key = pair.substring(0, eq);
                if (out.containsKey(key)) throw new MalformedPduException("key sent twice: " + key);
                out.put(key, pair.substring(eq + 1));
            }
            start = i + 1;
        }
        return out;
    }

    public static byte[] encode(Map<String, String> pairs) {
        return encode(pairs.entrySet());
    }

    /** Encodes pairs in order; a key may repeat (SendTargets answers repeat TargetName/TargetAddress). */
    public static byte[] encode(Iterable<Map.Entry<String, String>> pairs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> e : pairs) {
            out.writeBytes((e.getKey() + "=" + e.getValue()).getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
