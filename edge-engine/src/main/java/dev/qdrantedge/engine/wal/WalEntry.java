package dev.qdrantedge.engine.wal;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One raw WAL entry: its index and the serialized record.
 *
 * @param index the WAL index, which is the operation number of the record
 * @param file the segment file holding it
 * @param offset byte offset of the entry (its length header) in the file
 * @param data the record bytes (CBOR); not copied, do not modify
 */
public record WalEntry(long index, Path file, long offset, byte[] data) {

    public WalEntry {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(data, "data");
    }

    /** "WAL entry 7 at offset 4096", for messages. */
    public String describe() {
        return "WAL entry " + index + " at offset " + offset;
    }
}
