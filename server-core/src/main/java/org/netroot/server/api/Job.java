package org.netroot.server.api;

import java.time.Instant;

/**
 * Long work (import, export, promote) the server runs in the background: poll {@link NetrootControl#job},
 * or follow its JOB_PROGRESS and JOB_FINISHED changes on the stream. {@code bytesTotal} is 0 while unknown.
 */
public record Job(long id, Kind kind, String subject, State state, long bytesDone, long bytesTotal, String message,
                  Instant started, Instant finished) {
    /**
     * PROMOTE: an overlay copied whole into a new golden image; {@code subject} names the new image.
     * ADD_ASSET: a file copied into the asset library; {@code subject} names the asset.
     */
    public enum Kind { IMPORT, EXPORT, PROMOTE, ADD_ASSET }

    public enum State {
        RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean isFinal() {
            return this != RUNNING;
        }
    }

    /** True once the job succeeded, failed or was cancelled (not a bean getter: JSON keeps only the components). */
    public boolean ended() {
        return state.isFinal();
    }
}
