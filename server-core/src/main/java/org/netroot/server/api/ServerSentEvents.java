package org.netroot.server.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * Reads the live stream's server-sent events (HTML Living Standard §9.2.6): lines up to a blank
 * one make an event; its {@code data:} line is a {@link ChangeEvent} in JSON ({@code id:} and
 * {@code event:} repeat what the data says, lines starting with ':' are comments).
 */
final class ServerSentEvents {
    private ServerSentEvents() {
    }

    /** Until the stream ends: then {@code onClosed}, or {@code onError} when it broke and was not closed by us. */
    static void read(InputStream body, ChangeListener listener, BooleanSupplier closedByUs) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) listener.onEvent(Json.MAPPER.readValue(data.toString(), ChangeEvent.class));
                    data.setLength(0);
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) data.append('\n');
                    data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
                }
            }
            listener.onClosed();
        } catch (IOException e) {
            if (closedByUs.getAsBoolean()) listener.onClosed();
            else listener.onError(e);
        } catch (RuntimeException e) {
            listener.onError(e);
        }
    }
}
