package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code tracker.dat}: a little-endian {@code u32} header (one past the highest point offset ever set)
 * followed by one 16-byte slot per point offset: {@code u32 discriminant} (0 = no value), {@code u32 page},
 * {@code u32 block offset}, {@code u32 stored length}. Slots beyond the end of the file hold no value. The
 * file is memory-mapped; a {@code tracker_journal.dat} next to it is applied on top (see
 * {@link TrackerJournal}).
 */
final class GridstoreTracker {

    static final String FILE = "tracker.dat";
    static final int HEADER_BYTES = 4;
    static final int SLOT_BYTES = 16;

    private final Path file;
    private final MappedFile slots;
    private final Map<Integer, ValuePointer> journal;
    private final long pointerCount;

    private GridstoreTracker(Path file, MappedFile slots, Map<Integer, ValuePointer> journal, long pointerCount) {
        this.file = file;
        this.slots = slots;
        this.journal = journal;
        this.pointerCount = pointerCount;
    }

    static GridstoreTracker open(Path dir) {
        Path file = dir.resolve(FILE);
        MappedFile mapped = MappedFile.map(file);
        if (mapped.size() < HEADER_BYTES) {
            throw new EdgeFormatException(file, "truncated: " + mapped.size()
                    + " bytes, shorter than the 4-byte header");
        }
        long count = Integer.toUnsignedLong(mapped.getInt(0));
        Map<Integer, ValuePointer> journal = TrackerJournal.read(dir);
        for (Map.Entry<Integer, ValuePointer> e : journal.entrySet()) {
            if (e.getValue() != null) {
                count = Math.max(count, Integer.toUnsignedLong(e.getKey()) + 1);
            }
        }
        return new GridstoreTracker(file, mapped, journal, count);
    }

    Path file() {
        return file;
    }

    /** One past the highest point offset that has ever held a value. */
    long pointerCount() {
        return pointerCount;
    }

    /** The pointer of a point offset (an unsigned 32-bit number), or {@code null} when it holds no value. */
    ValuePointer pointer(int pointOffset) {
        if (journal.containsKey(pointOffset)) {
            return journal.get(pointOffset);
        }
        long start = HEADER_BYTES + Integer.toUnsignedLong(pointOffset) * SLOT_BYTES;
        if (start + SLOT_BYTES > slots.size()) {
            return null;
        }
        return readSlot(slots.slice(start, SLOT_BYTES), 0);
    }

    static ValuePointer readSlot(ByteBuffer buffer, int at) {
        if (buffer.getInt(at) == 0) {
            return null;
        }
        return new ValuePointer(Integer.toUnsignedLong(buffer.getInt(at + 4)),
                Integer.toUnsignedLong(buffer.getInt(at + 8)), Integer.toUnsignedLong(buffer.getInt(at + 12)));
    }
}
