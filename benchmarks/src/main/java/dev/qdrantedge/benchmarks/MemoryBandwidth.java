package dev.qdrantedge.benchmarks;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's memory-read bandwidth as Java code can use it: a streaming sum with the widest float
 * vectors over a heap array far larger than the last-level cache, so every byte comes from DRAM. Nothing
 * is written, and the four independent accumulators keep the adds far ahead of memory, so the time is the
 * time to stream the bytes in. This class needs {@code jdk.incubator.vector}; load it only when the module
 * is present.
 */
final class MemoryBandwidth {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();

    /** Sink for results, so the JIT cannot drop the sums. */
    static volatile float sink;

    private MemoryBandwidth() {
    }

    /** Bytes per second of each of {@code reps} passes, each pass reading all of {@code data} once. */
    static List<Double> streamingRead(float[] data, int threads, int reps) throws Exception {
        List<Double> rates = new ArrayList<>();
        if (threads == 1) {
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                sink = sum(data, 0, data.length);
                rates.add(data.length * (double) Float.BYTES / ((System.nanoTime() - start) / 1e9));
            }
            return rates;
        }
        CyclicBarrier barrier = new CyclicBarrier(threads + 1);
        List<Thread> workers = new ArrayList<>();
        int per = data.length / threads / LANES * LANES;
        for (int t = 0; t < threads; t++) {
            int from = t * per;
            int to = t == threads - 1 ? data.length : from + per;
            Thread thread = new Thread(() -> {
                try {
                    for (int r = 0; r < reps; r++) {
                        barrier.await();
                        sink = sum(data, from, to);
                        barrier.await();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.setDaemon(true);
            thread.start();
            workers.add(thread);
        }
        for (int r = 0; r < reps; r++) {
            barrier.await();
            long start = System.nanoTime();
            barrier.await();
            rates.add(data.length * (double) Float.BYTES / ((System.nanoTime() - start) / 1e9));
        }
        for (Thread t : workers) {
            t.join();
        }
        return rates;
    }

    /**
     * Bytes per second of streaming memory-mapped floats through a heap block of {@code blockFloats} with bulk
     * copies (in the scan's piece size), summing each block: the best a copy-based scan of the mapping can do
     * on one thread.
     */
    static List<Double> mappedCopyRead(List<FloatBuffer> mapped, int blockFloats, int reps) {
        float[] block = new float[blockFloats];
        long bytes = 0;
        for (FloatBuffer b : mapped) {
            bytes += (long) b.capacity() * Float.BYTES;
        }
        List<Double> rates = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            float total = 0;
            for (FloatBuffer b : mapped) {
                int n = b.capacity();
                for (int i = 0; i < n; i += blockFloats) {
                    int len = Math.min(blockFloats, n - i);
                    for (int done = 0; done < len; done += DenseScanTarget.COPY_PIECE_FLOATS) {
                        b.get(i + done, block, done, Math.min(DenseScanTarget.COPY_PIECE_FLOATS, len - done));
                    }
                    total += sum(block, 0, len);
                }
            }
            sink = total;
            rates.add(bytes / ((System.nanoTime() - start) / 1e9));
        }
        return rates;
    }

    static float sum(float[] a, int from, int to) {
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = from;
        for (; i + 4 * LANES <= to; i += 4 * LANES) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, a, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, a, i + LANES));
            s2 = s2.add(FloatVector.fromArray(SPECIES, a, i + 2 * LANES));
            s3 = s3.add(FloatVector.fromArray(SPECIES, a, i + 3 * LANES));
        }
        float total = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < to; i++) {
            total += a[i];
        }
        return total;
    }
}
