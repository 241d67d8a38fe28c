package dev.qdrantedge.engine.wal;

/**
 * Segment settings of a WAL, as Qdrant's {@code WalOptions} (and the {@code wal_options} of an Edge
 * shard's configuration) name them.
 *
 * @param segmentCapacity size of each segment file in bytes, rounded down to a multiple of 8 (32 MiB
 *     by default); an entry larger than a whole segment gets a segment of its own, enlarged to fit
 * @param segmentQueueLen how many spare {@code open-*} segments to keep ready; at least one is always
 *     kept, so 0 (the default) means one
 * @param retainClosed how many closed segments a prefix truncation keeps (at least 1, the default)
 */
public record WalOptions(long segmentCapacity, int segmentQueueLen, int retainClosed) {

    /** Qdrant's default segment capacity, 32 MiB. */
    public static final long DEFAULT_SEGMENT_CAPACITY = 32L << 20;

    public WalOptions {
        if ((segmentCapacity & ~7L) < WalSegmentScanner.HEADER_LEN + WalSegmentScanner.HEADER_LEN
                + WalSegmentScanner.CRC_LEN) {
            throw new IllegalArgumentException("segment capacity " + segmentCapacity + " is too small");
        }
        if (segmentQueueLen < 0) {
            throw new IllegalArgumentException("segmentQueueLen must not be negative: " + segmentQueueLen);
        }
        if (retainClosed < 1) {
            throw new IllegalArgumentException("retainClosed must be at least 1: " + retainClosed);
        }
    }

    /** Qdrant's defaults: 32 MiB segments, one spare segment, one closed segment retained. */
    public static WalOptions defaults() {
        return new WalOptions(DEFAULT_SEGMENT_CAPACITY, 0, 1);
    }

    /** These options with another segment capacity. */
    public WalOptions withSegmentCapacity(long capacity) {
        return new WalOptions(capacity, segmentQueueLen, retainClosed);
    }

    /** These options with another number of retained closed segments. */
    public WalOptions withRetainClosed(int retain) {
        return new WalOptions(segmentCapacity, segmentQueueLen, retain);
    }

    /** The capacity segment files are created with: a multiple of 8. */
    long alignedCapacity() {
        return segmentCapacity & ~7L;
    }

    /** Spare segments kept ready: at least one. */
    int spareSegments() {
        return Math.max(segmentQueueLen, 1);
    }
}
