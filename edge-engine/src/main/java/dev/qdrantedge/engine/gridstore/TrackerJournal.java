package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.io.BinaryFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * {@code tracker_journal.dat}, written by recent Qdrant builds: before a flush writes pointer slots into
 * {@code tracker.dat} in place, it appends them here, so that slots torn by a crash can be repaired. Qdrant
 * replays the journal onto the tracker when it opens the storage; this reader applies it on top of the
 * tracker in memory and writes nothing.
 *
 * <p>The file is a sequence of entries {@code u32 length, u32 CRC-32C of the records, records}, each record
 * being {@code u32 point offset} followed by a 16-byte tracker slot. Reading stops at the first incomplete or
 * invalid entry, which is what a crash in the middle of an append leaves behind.
 */
final class TrackerJournal {

    static final String FILE = "tracker_journal.dat";

    private static final int RECORD_BYTES = 4 + GridstoreTracker.SLOT_BYTES;

    private TrackerJournal() {
    }

    /**
     * The last journaled slot of each point offset, in journal order; a {@code null} value is a journaled
     * removal. Empty when there is no journal.
     */
    static Map<Integer, ValuePointer> read(Path dir) {
        Path file = dir.resolve(FILE);
        Optional<ByteBuffer> content = BinaryFiles.readAllIfPresent(file);
        if (content.isEmpty()) {
            return Map.of();
        }
        Map<Integer, ValuePointer> slots = new LinkedHashMap<>();
        ByteBuffer buffer = content.get();
        while (buffer.remaining() >= 8) {
            long length = Integer.toUnsignedLong(buffer.getInt());
            int crc = buffer.getInt();
            if (length == 0 || length % RECORD_BYTES != 0 || length > buffer.remaining()) {
                break;
            }
            CRC32C checksum = new CRC32C();
            checksum.update(buffer.slice(buffer.position(), (int) length));
            if ((int) checksum.getValue() != crc) {
                break;
            }
            for (long i = 0; i < length / RECORD_BYTES; i++) {
                int pointOffset = buffer.getInt();
                slots.put(pointOffset, GridstoreTracker.readSlot(buffer, buffer.position()));
                buffer.position(buffer.position() + GridstoreTracker.SLOT_BYTES);
            }
        }
        return slots;
    }
}
