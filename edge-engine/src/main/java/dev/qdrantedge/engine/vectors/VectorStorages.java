package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.segment.SegmentState;
import dev.qdrantedge.engine.segment.VectorDataConfig;
import java.nio.file.Path;

/** Opens a segment's dense or multi vector storage in the layout Qdrant uses for its configuration. */
public final class VectorStorages {

    private static final String DIRECTORY_PREFIX = "vector_storage";

    private VectorStorages() {
    }

    /** {@code vector_storage} for the default vector (name {@code ""}), else {@code vector_storage-<name>}. */
    public static String directoryName(String vectorName) {
        return vectorName.isEmpty() ? DIRECTORY_PREFIX : DIRECTORY_PREFIX + "-" + vectorName;
    }

    /**
     * Opens the storage of dense vector {@code vectorName} of the segment in {@code segmentDir}, as Qdrant
     * chooses it: {@code Empty} has no files; a multivector always uses the chunked multi-vector layout;
     * otherwise {@code Mmap}/{@code InRamMmap} use {@code matrix.dat} + {@code deleted.dat} and
     * {@code ChunkedMmap}/{@code InRamChunkedMmap} the appendable chunked layout. The legacy {@code Memory}
     * (RocksDB) type is refused, as by Qdrant since 1.18.
     *
     * @throws EdgeFormatException naming the file at fault when a file is missing, truncated or corrupt
     */
    public static VectorStorage open(Path segmentDir, String vectorName, VectorDataConfig config) {
        Path storageDir = segmentDir.resolve(directoryName(vectorName));
        switch (config.storageType()) {
            case EMPTY:
                return new EmptyVectorStorage();
            case MEMORY:
                throw new EdgeFormatException(segmentDir.resolve(SegmentState.FILE), "vector '" + vectorName
                        + "' uses the legacy RocksDB storage type 'Memory', which Qdrant 1.18+ does not load either");
            case MMAP:
            case IN_RAM_MMAP:
                if (config.multivector()) {
                    return MultiDenseVectorStorage.open(storageDir, config.size(), config.datatype());
                }
                return SingleFileDenseVectorStorage.open(storageDir, config.size(), config.datatype());
            case CHUNKED_MMAP:
            case IN_RAM_CHUNKED_MMAP:
                if (config.multivector()) {
                    return MultiDenseVectorStorage.open(storageDir, config.size(), config.datatype());
                }
                return AppendableDenseVectorStorage.open(storageDir, config.size(), config.datatype());
            default:
                throw new IllegalArgumentException("unknown storage type " + config.storageType());
        }
    }
}
