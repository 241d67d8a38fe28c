package dev.qdrantedge.engine.wal;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * What a scan of one segment file found: the header, where each valid entry lies and how the valid
 * data ends. Not yet placed in the WAL's index space.
 */
final class ScannedSegment {

    /** How the run of valid entries ends. */
    enum End {
        /** No room for another entry: the loop reached the end of the capacity. */
        FULL,
        /** An all-zero slot: nothing was written after the last entry. */
        ZEROS,
        /** A partly written last entry with nothing after it: a write interrupted by a crash. */
        TORN,
        /** An entry that fails its check although data follows it, or whose length cannot be right. */
        DAMAGED
    }

    final Path file;
    final WalSegmentName name;
    final int seed;
    final long capacity;
    final long[] offsets;
    final int[] lengths;
    final int lastCrc;
    final End end;
    /** Offset of the first byte that is not a valid entry (where the scan stopped). */
    final long endOffset;
    final String endDetail;

    ScannedSegment(Path file, WalSegmentName name, int seed, long capacity, long[] offsets, int[] lengths,
            int lastCrc, End end, long endOffset, String endDetail) {
        this.file = file;
        this.name = name;
        this.seed = seed;
        this.capacity = capacity;
        this.offsets = offsets;
        this.lengths = lengths;
        this.lastCrc = lastCrc;
        this.end = end;
        this.endOffset = endOffset;
        this.endDetail = endDetail;
    }

    int entryCount() {
        return offsets.length;
    }

    boolean isEmpty() {
        return offsets.length == 0;
    }

    WalSegment place(long startIndex) {
        return new WalSegment(file, name.kind(), name.number(), startIndex, offsets.length, seed, lastCrc,
                endOffset, capacity, end == End.TORN);
    }

    @Override
    public String toString() {
        return file.getFileName() + "[" + offsets.length + " entries, " + end + " at " + endOffset + "]"
                + (offsets.length > 4 ? "" : Arrays.toString(offsets));
    }
}
