package org.netroot.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Json;

/**
 * client.boot_options (V7): the {@link BootOptions} record as the API's JSON, NULL when no mode was
 * given options. Read and written whole, never queried by field, so one document keeps a new mode's
 * options from needing a migration of their own.
 */
final class BootOptionsColumn {
    private BootOptionsColumn() {
    }

    static String write(BootOptions options) {
        if (options == null || options.none()) return null;
        try {
            return Json.MAPPER.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot store the boot options " + options + ": " + e.getOriginalMessage(), e);
        }
    }

    static BootOptions read(String json) {
        if (json == null || json.isBlank()) return BootOptions.NONE;
        try {
            return Json.MAPPER.readValue(json, BootOptions.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("the stored boot options cannot be read (" + e.getOriginalMessage() + "): " + json, e);
        }
    }
}
