package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.operation.UpdateOperation;
import java.util.Objects;
import java.util.Optional;

/**
 * A decoded WAL entry.
 *
 * @param index the WAL index, the operation number stamped on the points the operation touches
 * @param operation the update
 * @param clockTag the server's clock tag; empty for records written by Qdrant Edge
 */
public record WalRecord(long index, UpdateOperation operation, Optional<ClockTag> clockTag) {

    public WalRecord {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(clockTag, "clockTag");
    }
}
