package dev.qdrantedge.benchmarks;

import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.search.kernel.VectorKernels;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorStorageType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Exact search by scanning a shard's dense float32 vectors straight from their segment files, with the
 * kernels {@link VectorKernels#get()} selected for this JVM.
 *
 * <p>Reads the appendable (chunked) layout Qdrant Edge writes: {@code segments/<uuid>/vector_storage/vectors/}
 * with {@code config.json}, {@code status.dat} and {@code chunk_<n>.mmap}. Each chunk file is memory-mapped;
 * a query copies {@code blockVectors} vectors at a time from the mapping into a small heap array with bulk
 * {@link FloatBuffer#get(int, float[], int, int)} calls (memory copies, as the mapping is little-endian like
 * the CPU) of at most {@link #COPY_PIECE_FLOATS}, scores the block with one {@code *Block} kernel call and
 * offers the scores to a top-k heap. The block stays in the core's L1 cache, so main memory is read once
 * per query and the kernel reads from L1. With {@code heap} the vectors are
 * copied to heap arrays once at open and scored in place, one vector at a time with the pair kernels (the
 * block kernels interleave four vectors, which streams worse from main memory): a diagnostic that shows what
 * the per-query copy costs.
 *
 * <p>Points deleted from the id tracker and vectors deleted from the storage are skipped (looked up once at
 * open); a point stored in several segments counts only in the one with its highest version. With several
 * threads the vectors are split into as many contiguous ranges, one per thread, and the per-thread top-k
 * merged. Only the chunked float32 layout of a plain (non-multi) dense vector is supported; other layouts
 * are refused when the target opens.
 */
final class DenseScanTarget implements SearchTarget {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * Floats per bulk copy from the mapping (2 KiB). On the machine in BENCHMARKS.md copies of 1.5 to 3 KiB
     * into a block that stays in L1 stream at full memory bandwidth; single copies of 6 KiB and more, or
     * blocks that spill out of L1 (24 KiB and more), are up to twice as slow.
     */
    static final int COPY_PIECE_FLOATS = 512;

    private final String description;
    private final Distance distance;
    private final int dim;
    private final List<Chunk> chunks;
    private final List<Segment> segments;
    private final Worker[] workers;
    private final ExecutorService pool;
    private final long bytesPerQuery;

    private DenseScanTarget(String description, Distance distance, int dim, List<Chunk> chunks,
            List<Segment> segments, int threads, int blockVectors) {
        this.description = description;
        this.distance = distance;
        this.dim = dim;
        this.chunks = chunks;
        this.segments = segments;
        long total = 0;
        for (Chunk c : chunks) {
            total += c.count;
        }
        this.bytesPerQuery = total * dim * Float.BYTES;
        this.workers = new Worker[threads];
        for (int t = 0; t < threads; t++) {
            workers[t] = new Worker(slices(chunks, total * t / threads, total * (t + 1) / threads), blockVectors);
        }
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, r -> {
            Thread thread = new Thread(r, "scan-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static DenseScanTarget open(Path shard, String vectorName, int threads, int blockVectors, boolean heap) {
        if (threads < 1 || blockVectors < 1) {
            throw new IllegalArgumentException("threads and block size must be positive");
        }
        List<Segment> segments = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        Distance distance = null;
        int dim = -1;
        Map<String, long[]> newest = new HashMap<>();
        for (Path dir : SegmentDirectories.scan(shard.resolve("segments"))) {
            Segment segment = Segment.open(dir);
            segments.add(segment);
            VectorDataConfig config = segment.state().vectorData().get(vectorName);
            if (config == null) {
                continue;
            }
            if (config.multivector() || config.datatype() != VectorDatatype.FLOAT32
                    || (config.storageType() != VectorStorageType.CHUNKED_MMAP
                            && config.storageType() != VectorStorageType.IN_RAM_CHUNKED_MMAP)) {
                throw new IllegalArgumentException(dir + ": only chunked float32 dense storages can be scanned, not "
                        + config.storageType().jsonName() + " " + config.datatype().jsonName()
                        + (config.multivector() ? " multivector" : ""));
            }
            if (distance != null && (distance != config.distance() || dim != config.size())) {
                throw new IllegalArgumentException(dir + ": segments disagree on the vector's size or distance");
            }
            distance = config.distance();
            dim = config.size();
            Path storage = dir.resolve(vectorName.isEmpty() ? "vector_storage" : "vector_storage-" + vectorName);
            chunks.addAll(mapChunks(segment, storage.resolve("vectors"), vectorName, dim, heap, newest));
        }
        if (distance == null) {
            throw new IllegalArgumentException(shard + ": no segment holds a dense vector named '" + vectorName + "'");
        }
        // A point stored in several segments (left by an interrupted optimization) counts once, in its newest copy.
        for (long[] copy : newest.values()) {
            copy[0] = -1;
        }
        for (Chunk chunk : chunks) {
            chunk.keepNewestOnly(newest);
        }
        String how = heap ? "heap copy scored in place, one vector at a time"
                : "mmap, copied " + blockVectors + " vectors at a time into a heap block";
        String description = String.format("dense scan (%s), %s kernels, %d thread%s", how, VectorKernels.get().name(),
                threads, threads == 1 ? "" : "s");
        return new DenseScanTarget(description, distance, dim, chunks, segments, threads, blockVectors);
    }

    private static List<Chunk> mapChunks(Segment segment, Path directory, String vectorName, int dim, boolean heap,
            Map<String, long[]> newest) {
        JsonNode config = JSON.readTree(read(directory.resolve("config.json")));
        int chunkVectors = config.get("chunk_size_vectors").asInt();
        if (config.get("dim").asInt() != dim) {
            throw new IllegalArgumentException(directory + ": dim differs from segment.json");
        }
        long stored = ByteBuffer.wrap(read(directory.resolve("status.dat"))).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        IdTracker ids = segment.idTracker();
        List<Chunk> chunks = new ArrayList<>();
        for (int c = 0; (long) c * chunkVectors < stored; c++) {
            int first = c * chunkVectors;
            int count = (int) Math.min(chunkVectors, stored - first);
            FloatBuffer floats = map(directory.resolve("chunk_" + c + ".mmap"), (long) count * dim * Float.BYTES);
            float[] copy = null;
            if (heap) {
                copy = new float[count * dim];
                floats.get(0, copy, 0, copy.length);
            }
            boolean[] live = new boolean[count];
            for (int i = 0; i < count; i++) {
                int internal = first + i;
                live[i] = internal < ids.totalPointCount() && ids.isLive(internal)
                        && segment.vectors(internal).containsKey(vectorName);
                if (live[i]) {
                    String id = ids.externalId(internal).toString();
                    long version = ids.version(internal);
                    long[] best = newest.get(id);
                    if (best == null || version > best[1]) {
                        newest.put(id, new long[] {0, version});
                    }
                }
            }
            chunks.add(new Chunk(ids, first, count, floats, copy, live));
        }
        return chunks;
    }

    private static FloatBuffer map(Path file, long bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, bytes);
            mapped.load();
            return mapped.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map " + file, e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The parts of the chunks that make up vectors {@code [from, to)} of the shard, in chunk order. */
    private static List<Slice> slices(List<Chunk> chunks, long from, long to) {
        List<Slice> slices = new ArrayList<>();
        long base = 0;
        for (int c = 0; c < chunks.size(); c++) {
            Chunk chunk = chunks.get(c);
            long start = Math.max(from, base);
            long end = Math.min(to, base + chunk.count);
            if (start < end) {
                slices.add(new Slice(c, (int) (start - base), (int) (end - base)));
            }
            base += chunk.count;
        }
        return slices;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public long bytesPerQuery() {
        return bytesPerQuery;
    }

    @Override
    public List<Hit> search(float[] query, int k) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " elements, the vectors " + dim);
        }
        float[] prepared = query.clone();
        if (distance == Distance.COSINE) {
            normalize(prepared);
        }
        TopK merged;
        if (pool == null) {
            merged = workers[0].scan(prepared, k);
        } else {
            List<Future<TopK>> others = new ArrayList<>();
            for (int t = 1; t < workers.length; t++) {
                Worker worker = workers[t];
                others.add(pool.submit(() -> worker.scan(prepared, k)));
            }
            merged = new TopK(k);
            merged.addAll(workers[0].scan(prepared, k));
            for (Future<TopK> f : others) {
                try {
                    merged.addAll(f.get());
                } catch (Exception e) {
                    throw new IllegalStateException("scan failed", e);
                }
            }
        }
        float[] keys = new float[merged.size()];
        long[] refs = merged.sortedDescending(keys);
        List<Hit> hits = new ArrayList<>(refs.length);
        for (int i = 0; i < refs.length; i++) {
            Chunk chunk = chunks.get((int) (refs[i] >>> 32));
            int record = (int) refs[i];
            float score = higherIsBetter() ? keys[i] : -keys[i];
            if (distance == Distance.EUCLID) {
                score = (float) Math.sqrt(score);
            }
            hits.add(new Hit(chunk.ids.externalId(chunk.first + record).toString(), score));
        }
        return hits;
    }

    private boolean higherIsBetter() {
        return distance == Distance.COSINE || distance == Distance.DOT;
    }

    /** Scales to unit length in float arithmetic, as Qdrant prepares Cosine queries; a zero vector stays. */
    private static void normalize(float[] v) {
        float sum = 0;
        for (float x : v) {
            sum += x * x;
        }
        float norm = (float) Math.sqrt(sum);
        if (norm > Float.MIN_NORMAL) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
        for (Segment s : segments) {
            s.close();
        }
    }

    /** One chunk file's stored vectors. */
    private static final class Chunk {
        final IdTracker ids;
        final int first;
        final int count;
        final FloatBuffer floats;
        final float[] heap;
        final boolean[] live;
        boolean allLive;

        Chunk(IdTracker ids, int first, int count, FloatBuffer floats, float[] heap, boolean[] live) {
            this.ids = ids;
            this.first = first;
            this.count = count;
            this.floats = floats;
            this.heap = heap;
            this.live = live;
        }

        void keepNewestOnly(Map<String, long[]> newest) {
            allLive = true;
            for (int i = 0; i < count; i++) {
                if (live[i]) {
                    long[] best = newest.get(ids.externalId(first + i).toString());
                    if (best[0] >= 0 || ids.version(first + i) != best[1]) {
                        live[i] = false; // an older copy, or a second copy of the same version
                    } else {
                        best[0] = 1;
                    }
                }
                allLive &= live[i];
            }
        }
    }

    private record Slice(int chunk, int from, int to) {
    }

    /** One thread's share of the scan and its scratch space, reused by every query. */
    private final class Worker {
        private final List<Slice> slices;
        private final int blockVectors;
        private final float[] block;
        private final float[] scores;
        private final VectorKernels kernels = VectorKernels.get();
        private TopK top;

        Worker(List<Slice> slices, int blockVectors) {
            this.slices = slices;
            this.blockVectors = blockVectors;
            this.block = new float[blockVectors * dim];
            this.scores = new float[blockVectors];
        }

        TopK scan(float[] query, int k) {
            if (top == null || top.capacity() != k) {
                top = new TopK(k);
            }
            top.clear();
            for (Slice slice : slices) {
                Chunk chunk = chunks.get(slice.chunk());
                long chunkRef = (long) slice.chunk() << 32;
                for (int start = slice.from(); start < slice.to(); start += blockVectors) {
                    int n = Math.min(blockVectors, slice.to() - start);
                    if (chunk.heap != null) {
                        scoreOneByOne(query, chunk.heap, start * dim, n);
                    } else {
                        copy(chunk.floats, start * dim, n * dim);
                        score(query, block, 0, n);
                    }
                    collect(chunk, chunkRef, start, n);
                }
            }
            return top;
        }

        /** Copies {@code length} floats from {@code position} of the mapping to the block, in short pieces. */
        private void copy(FloatBuffer floats, int position, int length) {
            for (int done = 0; done < length; done += COPY_PIECE_FLOATS) {
                floats.get(position + done, block, done, Math.min(COPY_PIECE_FLOATS, length - done));
            }
        }

        private void score(float[] query, float[] source, int offset, int n) {
            switch (distance) {
                case COSINE:
                case DOT:
                    kernels.dotBlock(query, source, offset, n, scores, 0);
                    break;
                case EUCLID:
                    kernels.squaredEuclidBlock(query, source, offset, n, scores, 0);
                    negate(n);
                    break;
                default:
                    kernels.manhattanBlock(query, source, offset, n, scores, 0);
                    negate(n);
                    break;
            }
        }

        /** As {@link #score} with the pair kernels, for vectors read in place from main memory. */
        private void scoreOneByOne(float[] query, float[] source, int offset, int n) {
            for (int j = 0; j < n; j++) {
                int at = offset + j * dim;
                switch (distance) {
                    case COSINE:
                    case DOT:
                        scores[j] = kernels.dot(query, 0, source, at, dim);
                        break;
                    case EUCLID:
                        scores[j] = -kernels.squaredEuclid(query, 0, source, at, dim);
                        break;
                    default:
                        scores[j] = -kernels.manhattan(query, 0, source, at, dim);
                        break;
                }
            }
        }

        private void negate(int n) {
            for (int j = 0; j < n; j++) {
                scores[j] = -scores[j];
            }
        }

        private void collect(Chunk chunk, long chunkRef, int start, int n) {
            TopK top = this.top;
            float threshold = top.threshold();
            for (int j = 0; j < n; j++) {
                float s = scores[j];
                if (s > threshold && (chunk.allLive || chunk.live[start + j])) {
                    top.offer(s, chunkRef | (start + j));
                    threshold = top.threshold();
                }
            }
        }
    }
}
