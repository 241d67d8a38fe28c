package dev.qdrantedge.engine.optimize;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.HnswConfig;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.index.hnsw.build.BuildVectors;
import dev.qdrantedge.engine.index.hnsw.build.HnswBuildParams;
import dev.qdrantedge.engine.index.hnsw.build.HnswGraph;
import dev.qdrantedge.engine.index.hnsw.build.HnswGraphBuilder;
import dev.qdrantedge.engine.index.hnsw.build.HnswIndexFiles;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.segment.AppendableSegmentCreator;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.segment.SegmentStateFile;
import dev.qdrantedge.engine.segment.WritableSegment;
import dev.qdrantedge.engine.snapshot.FileSync;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes an optimized segment into a directory: the points are written with the engine's appendable writers
 * (mutable id tracker, chunked vector storages, payload gridstore), which Qdrant loads for any segment; every
 * dense single vector (uint8 Cosine vectors aside) whose storage reaches the indexing threshold (and whose HNSW {@code m} is positive) then
 * gets an HNSW graph in {@code vector_index[-<name>]/} and {@code "index":{"type":"hnsw",...}} in
 * {@code segment.json}, which makes the segment non-appendable as Qdrant's optimized segments are. A merge whose
 * result stays below the threshold is left appendable. The payload field indexes of the replaced segments are
 * listed in {@code payload_index/config.json} ({@link IndexedFieldSchemas}). Everything is forced to the device before returning.
 */
public final class OptimizedSegmentBuilder {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EdgeConfig config;
    private final OptimizerThresholds thresholds;

    private final IndexedFieldSchemas indexedFields;

    public OptimizedSegmentBuilder(EdgeConfig config, OptimizerThresholds thresholds) {
        this(config, thresholds, IndexedFieldSchemas.none());
    }

    /** A builder whose segments list the payload field indexes {@code indexedFields}. */
    public OptimizedSegmentBuilder(EdgeConfig config, OptimizerThresholds thresholds,
            IndexedFieldSchemas indexedFields) {
        this.config = config;
        this.thresholds = thresholds;
        this.indexedFields = indexedFields;
    }

    /** What was written: the point count and the vectors indexed. */
    public record Result(int points, List<String> indexedVectors) {
    }

    /** Writes {@code points} as a new segment in {@code segmentDir}, which must not exist. */
    public Result build(Path segmentDir, Iterable<SourcePoint> points) {
        AppendableSegmentCreator.forConfig(config).create(segmentDir);
        Map<String, FloatCollector> collectors = new LinkedHashMap<>();
        config.vectors().forEach((name, params) -> {
            boolean byteCosine = params.datatype() == VectorDatatype.UINT8
                    && params.distance() == dev.qdrantedge.engine.vectors.Distance.COSINE;
            if (!params.multivector() && !byteCosine && effectiveHnsw(params).m() > 0) {
                collectors.put(name, new FloatCollector(params.size()));
            }
        });
        int count = 0;
        try (WritableSegment segment = WritableSegment.open(segmentDir)) {
            for (SourcePoint p : points) {
                int internal = segment.upsert(p.id(), p.version(), p.vectors(), p.payload());
                if (internal != count) {
                    throw new IllegalStateException("point " + p.id() + " listed twice for segment " + segmentDir);
                }
                for (Map.Entry<String, FloatCollector> e : collectors.entrySet()) {
                    VectorValue v = p.vectors().get(e.getKey());
                    if (v instanceof DenseVector d) {
                        e.getValue().add(internal, d.values());
                    }
                }
                count++;
            }
            segment.flush();
        }
        List<String> indexed = new ArrayList<>();
        for (Map.Entry<String, FloatCollector> e : collectors.entrySet()) {
            VectorParams params = config.vectors().get(e.getKey());
            FloatCollector c = e.getValue();
            long bytes = (long) c.count * params.size() * storedDatatype(params).bytes();
            if (c.count == 0 || bytes < thresholds.indexingThresholdBytes()) {
                continue;
            }
            writeIndex(segmentDir, e.getKey(), params, c, count);
            indexed.add(e.getKey());
        }
        if (!indexed.isEmpty()) {
            markIndexed(segmentDir, indexed);
        }
        if (!indexedFields.schemas().isEmpty()) {
            indexedFields.writeTo(segmentDir);
        }
        try {
            FileSync.syncTree(segmentDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force segment " + segmentDir + " to the device", e);
        }
        return new Result(count, indexed);
    }

    private static VectorDatatype storedDatatype(VectorParams params) {
        return params.datatype() == null ? VectorDatatype.FLOAT32 : params.datatype();
    }

    HnswConfig effectiveHnsw(VectorParams params) {
        if (params.hnswConfig() != null) {
            return params.hnswConfig();
        }
        return config.hnswConfig() == null ? HnswConfig.defaults() : config.hnswConfig();
    }

    private void writeIndex(Path segmentDir, String name, VectorParams params, FloatCollector c, int total) {
        HnswConfig hnsw = effectiveHnsw(params);
        long vectorBytes = (long) params.size() * storedDatatype(params).bytes();
        long fullScanThreshold = Math.max(1, hnsw.fullScanThreshold() * 1024L / vectorBytes);
        int entries = (int) Math.max(1, Math.min(Integer.MAX_VALUE, total / fullScanThreshold * 10));
        int threads = hnsw.maxIndexingThreads() > 0 ? hnsw.maxIndexingThreads() : thresholds.indexingThreads();
        HnswBuildParams buildParams = new HnswBuildParams(hnsw.m(), 2 * hnsw.m(), hnsw.efConstruct(), entries,
                threads, segmentDir.getFileName().toString().hashCode());
        HnswGraph graph = HnswGraphBuilder.build(new BuildVectors(c.values(), params.size(), params.distance()),
                buildParams);
        if (c.count < total) {
            graph = graph.expand(Arrays.copyOf(c.offsets, c.count), total);
        }
        HnswIndexFiles.write(segmentDir.resolve(name.isEmpty() ? "vector_index" : "vector_index-" + name), graph,
                fullScanThreshold, hnsw.maxIndexingThreads());
    }

    private void markIndexed(Path segmentDir, List<String> indexed) {
        ObjectNode root = (ObjectNode) JsonFiles.readTree(segmentDir.resolve(SegmentState.FILE));
        ObjectNode vectorData = (ObjectNode) root.path("config").path("vector_data");
        for (String name : indexed) {
            HnswConfig h = effectiveHnsw(config.vectors().get(name));
            ObjectNode index = JSON.createObjectNode();
            index.put("type", "hnsw");
            ObjectNode options = index.putObject("options");
            options.put("m", h.m()).put("ef_construct", h.efConstruct())
                    .put("full_scan_threshold", h.fullScanThreshold())
                    .put("max_indexing_threads", h.maxIndexingThreads());
            if (h.onDisk() != null) {
                options.put("on_disk", h.onDisk());
            }
            if (h.payloadM() != null) {
                options.put("payload_m", h.payloadM());
            }
            if (h.inlineStorage() != null) {
                options.put("inline_storage", h.inlineStorage());
            }
            ((ObjectNode) vectorData.get(name)).set("index", index);
        }
        SegmentStateFile.write(segmentDir, JSON.writeValueAsString(root));
    }

    /** The vectors of one name, packed, and the offset of each. */
    private static final class FloatCollector {
        private final int dim;
        private float[] values = new float[1024];
        private int[] offsets = new int[64];
        private int count;

        FloatCollector(int dim) {
            this.dim = dim;
        }

        void add(int offset, float[] vector) {
            if ((count + 1) * dim > values.length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, (count + 1) * dim));
            }
            if (count == offsets.length) {
                offsets = Arrays.copyOf(offsets, count * 2);
            }
            System.arraycopy(vector, 0, values, count * dim, dim);
            offsets[count++] = offset;
        }

        float[] values() {
            return Arrays.copyOf(values, count * dim);
        }
    }
}
