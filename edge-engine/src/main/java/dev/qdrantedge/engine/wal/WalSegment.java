package dev.qdrantedge.engine.wal;

import java.nio.file.Path;

/**
 * One WAL segment file as read, placed in the WAL's index space.
 *
 * @param file the segment file
 * @param kind open or closed, as named on disk
 * @param nameNumber the number in the file name (open id or closed start index)
 * @param startIndex WAL index of the segment's first entry
 * @param entryCount valid entries in the segment
 * @param seed the CRC seed from the segment header
 * @param lastCrc the CRC the next appended entry chains from (the last entry's, or the seed)
 * @param dataEnd byte offset just after the last valid entry, where the next entry would start
 * @param capacity usable size: the file size rounded down to a multiple of 8
 * @param tornTail whether a partly written entry follows the valid ones (the normal end after a crash)
 */
public record WalSegment(Path file, WalSegmentKind kind, long nameNumber, long startIndex, int entryCount,
        int seed, int lastCrc, long dataEnd, long capacity, boolean tornTail) {

    /** WAL index one past the segment's last entry. */
    public long endIndex() {
        return startIndex + entryCount;
    }

    /** Whether the segment holds no entry. */
    public boolean isEmpty() {
        return entryCount == 0;
    }
}
