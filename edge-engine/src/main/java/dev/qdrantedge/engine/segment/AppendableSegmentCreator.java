package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.vectors.AppendableDenseVectorWriter;
import dev.qdrantedge.engine.vectors.Distance;
import dev.qdrantedge.engine.vectors.MultiDenseVectorWriter;
import dev.qdrantedge.engine.vectors.VectorDatatype;
import dev.qdrantedge.engine.vectors.VectorStorageType;
import dev.qdrantedge.engine.vectors.VectorStorages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.payload.WritablePayloadStorage;
import dev.qdrantedge.engine.vectors.SparseVectorStorageWriter;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Creates an empty appendable segment directory (plain indexes, no quantization) the way Qdrant Edge
 * creates one for a new shard: dense storages with their {@code vectors/} (and {@code offsets/}) config and
 * status files and {@code deleted/} flags, {@code payload_index/config.json}, {@code segment.json} and,
 * last, {@code version.info}. No id-tracker files: Qdrant creates them on the segment's first flush.
 *
 * <p>Sparse vector storages and the payload storage are gridstores this class does not write; it creates
 * their directories (and each sparse vector's empty {@code vector_index-<name>/}) and hands them to the
 * {@link StorageCreator}s given, which fill them before {@code version.info} is written.
 */
public final class AppendableSegmentCreator {

    /**
     * A dense vector of the segment.
     *
     * @param name vector name, {@code ""} for the default vector
     * @param size dimension (of each inner vector for a multivector)
     * @param distance distance function
     * @param datatype element type as configured; {@code null} when not configured (stored as float32 and
     *     omitted from {@code segment.json}, as Qdrant does)
     * @param multivector whether points hold several vectors (MaxSim)
     * @param onDisk {@code ChunkedMmap} when true, else {@code InRamChunkedMmap}
     */
    public record DenseVector(String name, int size, Distance distance, VectorDatatype datatype, boolean multivector,
            boolean onDisk) {
        public DenseVector {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(distance, "distance");
            if (size <= 0) {
                throw new IllegalArgumentException("vector '" + name + "': size must be positive");
            }
        }

        public VectorStorageType storageType() {
            return onDisk ? VectorStorageType.CHUNKED_MMAP : VectorStorageType.IN_RAM_CHUNKED_MMAP;
        }

        /** The element type actually stored. */
        public VectorDatatype storedDatatype() {
            return datatype == null ? VectorDatatype.FLOAT32 : datatype;
        }
    }

    /**
     * A sparse vector of the segment (index {@code MutableRam}, storage {@code mmap}).
     *
     * @param name vector name
     * @param idf whether the IDF modifier applies
     * @param indexDatatype the index datatype as configured, or {@code null} (omitted)
     */
    public record SparseVector(String name, boolean idf, VectorDatatype indexDatatype) {
        public SparseVector {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Fills a storage directory this class created but does not write itself. */
    @FunctionalInterface
    public interface StorageCreator {
        void create(Path directory);
    }

    /** Leaves a storage directory empty. */
    public static final StorageCreator NONE = directory -> { };

    private final List<DenseVector> dense;
    private final List<SparseVector> sparse;
    private final boolean onDiskPayload;
    private StorageCreator sparseStorageCreator = NONE;
    private StorageCreator payloadStorageCreator = NONE;

    /**
     * @param dense dense vectors, in the order {@code segment.json} lists them
     * @param sparse sparse vectors, in the order {@code segment.json} lists them
     * @param onDiskPayload payload storage {@code mmap} when true, else {@code in_ram_mmap}
     */
    public AppendableSegmentCreator(List<DenseVector> dense, List<SparseVector> sparse, boolean onDiskPayload) {
        this.dense = List.copyOf(dense);
        this.sparse = List.copyOf(sparse);
        this.onDiskPayload = onDiskPayload;
    }

    /**
     * The appendable segment Qdrant Edge creates for a shard configured by {@code config}: storages in RAM
     * unless a vector is configured on disk, payloads on disk unless configured in RAM, sparse and payload
     * gridstores created empty.
     */
    public static AppendableSegmentCreator forConfig(EdgeConfig config) {
        List<DenseVector> dense = new ArrayList<>();
        config.vectors().forEach((name, p) -> dense.add(new DenseVector(name, p.size(), p.distance(),
                p.datatype() == VectorDatatype.FLOAT32 ? null : p.datatype(), p.multivector(),
                Boolean.TRUE.equals(p.onDisk()))));
        List<SparseVector> sparse = new ArrayList<>();
        config.sparseVectors().forEach((name, p) -> sparse.add(new SparseVector(name, p.idf(), null)));
        return new AppendableSegmentCreator(dense, sparse, config.effectiveOnDiskPayload())
                .sparseStorageCreator(dir -> SparseVectorStorageWriter.openOrCreate(dir).close())
                .payloadStorageCreator(dir -> WritablePayloadStorage.create(dir.getParent()).close());
    }

    /** Called with {@code vector_storage-<name>} of every sparse vector. */
    public AppendableSegmentCreator sparseStorageCreator(StorageCreator creator) {
        this.sparseStorageCreator = Objects.requireNonNull(creator);
        return this;
    }

    /** Called with {@code payload_storage}. */
    public AppendableSegmentCreator payloadStorageCreator(StorageCreator creator) {
        this.payloadStorageCreator = Objects.requireNonNull(creator);
        return this;
    }

    /** Creates a segment named by a random UUID in {@code segmentsDir}; returns its directory. */
    public Path createIn(Path segmentsDir) {
        return create(segmentsDir.resolve(UUID.randomUUID().toString()));
    }

    /** Creates the segment in {@code segmentDir}, which must not exist yet; returns it. */
    public Path create(Path segmentDir) {
        try {
            if (Files.exists(segmentDir)) {
                throw new IllegalArgumentException(segmentDir + " already exists");
            }
            Files.createDirectories(segmentDir);
            for (DenseVector v : dense) {
                Path storageDir = segmentDir.resolve(VectorStorages.directoryName(v.name()));
                if (v.multivector()) {
                    MultiDenseVectorWriter.open(storageDir, v.size(), v.storedDatatype()).close();
                } else {
                    AppendableDenseVectorWriter.open(storageDir, v.size(), v.storedDatatype()).close();
                }
            }
            for (SparseVector s : sparse) {
                Path storageDir = segmentDir.resolve(VectorStorages.directoryName(s.name()));
                Files.createDirectories(storageDir);
                sparseStorageCreator.create(storageDir);
                Files.createDirectories(segmentDir.resolve("vector_index-" + s.name()));
            }
            Path payloadDir = segmentDir.resolve("payload_storage");
            Files.createDirectories(payloadDir);
            payloadStorageCreator.create(payloadDir);
            Path payloadIndexDir = segmentDir.resolve("payload_index");
            Files.createDirectories(payloadIndexDir);
            SegmentStateFile.atomicWrite(payloadIndexDir.resolve("config.json"),
                    "{\"indexed_fields\":{}}".getBytes(StandardCharsets.UTF_8));
            SegmentStateFile.write(segmentDir, SegmentStateFile.appendableStateJson(OptionalLong.empty(),
                    OptionalLong.empty(), dense, sparse, onDiskPayload));
            SegmentStateFile.writeVersionInfo(segmentDir);
            return segmentDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create segment " + segmentDir, e);
        }
    }
}
