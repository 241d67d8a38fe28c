package dev.qdrantedge.engine.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one {@link EdgeStore#refresh} did.
 *
 * @param kind how the mirror was brought up to date
 * @param bytes the size of the downloaded archive (0 when nothing was downloaded)
 * @param duration how long the refresh took, download included
 * @param entriesReflected outbox entries newly marked as reflected by the mirror
 * @param pointsDropped local copies (points and deletion marks) dropped because the mirror now holds them
 * @param finishedAt when the refresh ended
 */
public record RefreshResult(Kind kind, long bytes, Duration duration, long entriesReflected, long pointsDropped,
        Instant finishedAt) {

    /** How the mirror was brought up to date. */
    public enum Kind {
        /** A full snapshot bootstrapped (or replaced) an absent or empty mirror. */
        FULL,
        /** A partial snapshot brought the mirror up to date. */
        PARTIAL,
        /** The server reported no change since the mirror's state. */
        NOT_MODIFIED
    }

    public RefreshResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(finishedAt, "finishedAt");
    }
}
