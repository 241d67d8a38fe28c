package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import dev.qdrantedge.engine.io.JsonFiles;
import dev.qdrantedge.engine.io.MappedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A {@code ChunkedVectors} directory, memory-mapped: {@code config.json} (chunk geometry and dimension),
 * {@code status.dat} (8-byte little-endian count of stored records) and {@code chunk_<n>.mmap} files holding
 * fixed-size records back to back, {@code chunk_size_vectors} per chunk, never straddling two chunks.
 *
 * <p>A record is {@code dim} elements of {@code elementBytes} bytes each. Opening checks that the files the
 * stored records need are present and long enough; records are read on demand.
 */
final class ChunkedVectorFiles {

    static final String CONFIG_FILE = "config.json";
    static final String STATUS_FILE = "status.dat";
    private static final Pattern CHUNK_NAME = Pattern.compile("chunk_(\\d+)\\.mmap");

    private final Path directory;
    private final int dim;
    private final int recordBytes;
    private final long chunkSizeRecords;
    private final long length;
    private final MappedFile[] chunks;

    private ChunkedVectorFiles(Path directory, int dim, int recordBytes, long chunkSizeRecords, long length,
            MappedFile[] chunks) {
        this.directory = directory;
        this.dim = dim;
        this.recordBytes = recordBytes;
        this.chunkSizeRecords = chunkSizeRecords;
        this.length = length;
        this.chunks = chunks;
    }

    /**
     * Opens a directory whose records must have {@code expectedDim} elements of {@code elementBytes} bytes.
     * Missing, malformed or truncated files are errors naming the file.
     */
    static ChunkedVectorFiles open(Path directory, int expectedDim, int elementBytes) {
        Path configFile = directory.resolve(CONFIG_FILE);
        JsonNode config = JsonFiles.readTree(configFile);
        long dim = requiredCount(config, "dim", configFile);
        long chunkSizeRecords = requiredCount(config, "chunk_size_vectors", configFile);
        long chunkSizeBytes = requiredCount(config, "chunk_size_bytes", configFile);
        if (dim != expectedDim) {
            throw new EdgeFormatException(configFile, "dim is " + dim + " but the segment config says "
                    + expectedDim);
        }
        int recordBytes = Math.multiplyExact(expectedDim, elementBytes);
        if (chunkSizeRecords == 0 || chunkSizeBytes != chunkSizeRecords * recordBytes) {
            throw new EdgeFormatException(configFile, "chunk_size_bytes " + chunkSizeBytes + " is not "
                    + "chunk_size_vectors " + chunkSizeRecords + " times the " + recordBytes + "-byte record of dim "
                    + dim + " (is the datatype in segment.json the one these files were written with?)");
        }

        Path statusFile = directory.resolve(STATUS_FILE);
        ByteBuffer status = BinaryFiles.readAll(statusFile);
        if (status.remaining() < Long.BYTES) {
            throw new EdgeFormatException(statusFile, "truncated: " + status.remaining()
                    + " bytes, expected 8 (the stored vector count)");
        }
        long length = status.getLong(0);
        if (length < 0) {
            throw new EdgeFormatException(statusFile, "stored vector count is out of range: "
                    + Long.toUnsignedString(length));
        }

        int neededChunks = Math.toIntExact((length + chunkSizeRecords - 1) / chunkSizeRecords);
        int presentChunks = checkChunkNames(directory);
        MappedFile[] chunks = new MappedFile[neededChunks];
        for (int i = 0; i < neededChunks; i++) {
            Path chunkFile = chunkFile(directory, i);
            if (i >= presentChunks) {
                throw new EdgeFormatException(chunkFile, "chunk file is missing: " + STATUS_FILE + " counts "
                        + length + " vectors, which need " + neededChunks + " chunks of " + chunkSizeRecords);
            }
            MappedFile chunk = MappedFile.map(chunkFile);
            long records = Math.min(chunkSizeRecords, length - i * chunkSizeRecords);
            long neededBytes = records * recordBytes;
            if (chunk.size() < neededBytes) {
                throw new EdgeFormatException(chunkFile, "truncated: " + chunk.size() + " bytes, but the "
                        + records + " vectors stored in it need " + neededBytes + " bytes");
            }
            chunks[i] = chunk;
        }
        return new ChunkedVectorFiles(directory, expectedDim, recordBytes, chunkSizeRecords, length, chunks);
    }

    /**
     * The number of chunk files, checking that their ids run from 0 without a gap as Qdrant requires; a gap
     * is an error naming the first missing chunk file.
     */
    private static int checkChunkNames(Path directory) {
        TreeSet<Long> ids = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "chunk_*.mmap")) {
            for (Path entry : entries) {
                Matcher m = CHUNK_NAME.matcher(entry.getFileName().toString());
                if (m.matches() && m.group(1).length() < 19) {
                    ids.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(directory, "directory is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(directory, "cannot list chunk files: " + e.getMessage(), e);
        }
        long expected = 0;
        for (long id : ids) {
            if (id != expected) {
                throw new EdgeFormatException(chunkFile(directory, expected), "chunk file is missing, but "
                        + chunkFile(directory, id).getFileName() + " exists");
            }
            expected++;
        }
        return ids.size();
    }

    static Path chunkFile(Path directory, long chunkId) {
        return directory.resolve("chunk_" + chunkId + ".mmap");
    }

    private static long requiredCount(JsonNode config, String field, Path configFile) {
        JsonNode value = config.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new EdgeFormatException(configFile, field + ": missing or not a non-negative integer");
        }
        return value.asLong();
    }

    Path directory() {
        return directory;
    }

    /** Number of stored records ({@code status.dat}). */
    long length() {
        return length;
    }

    /** Elements per record. */
    int dim() {
        return dim;
    }

    /** Records per chunk file. */
    long chunkSizeRecords() {
        return chunkSizeRecords;
    }

    /**
     * Decodes records {@code [first, first + count)}, which must be stored (they may span chunks), as
     * elements of {@code type} into {@code out} from {@code outOffset}.
     */
    void readFloats(long first, int count, VectorDatatype type, float[] out, int outOffset) {
        int done = 0;
        while (done < count) {
            long key = first + done;
            int n = (int) Math.min(count - done, chunkSizeRecords - key % chunkSizeRecords);
            if (type == VectorDatatype.FLOAT32 && holds(key, n)) {
                // float32 records are copied straight from the mapping, without a buffer view per read
                chunks[(int) (key / chunkSizeRecords)].getFloats((key % chunkSizeRecords) * recordBytes, out,
                        outOffset + done * dim, n * dim);
            } else {
                VectorElements.decodeInto(read(key, n), type, n * dim, out, outOffset + done * dim);
            }
            done += n;
        }
    }

    /** The chunk file that holds record {@code key}. */
    Path chunkFileOf(long key) {
        return chunkFile(directory, key / chunkSizeRecords);
    }

    /** Whether records {@code [first, first + count)} are all stored and lie in one chunk. */
    boolean holds(long first, long count) {
        if (first < 0 || count < 0 || first > length - count) {
            return false;
        }
        return count == 0 || first / chunkSizeRecords == (first + count - 1) / chunkSizeRecords;
    }

    /**
     * The bytes of records {@code [first, first + count)}, which must satisfy {@link #holds}; a view of the
     * mapping, positioned at 0.
     */
    ByteBuffer read(long first, int count) {
        if (!holds(first, count)) {
            throw new IndexOutOfBoundsException("records [" + first + ", " + (first + count) + ") are not stored in one "
                    + "chunk of " + directory + " (" + length + " records, " + chunkSizeRecords + " per chunk)");
        }
        MappedFile chunk = chunks[(int) (first / chunkSizeRecords)];
        long position = (first % chunkSizeRecords) * recordBytes;
        return chunk.slice(position, Math.multiplyExact(count, recordBytes));
    }
}
