package dev.qdrantedge.engine.vectors;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import dev.qdrantedge.engine.io.JsonFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@code ChunkedVectors} directory opened for writing, the counterpart of {@link ChunkedVectorFiles}.
 *
 * <p>A new directory gets the {@code config.json} Qdrant computes for the record size (as many whole records
 * as fit in 32 MiB) and an 8-byte zero {@code status.dat}; chunk files are created on the first write that
 * needs them, each at its full {@code chunk_size_bytes} length (sparse, zero-filled). Records are written in
 * place with positional writes, so reads through this object see them at once.
 *
 * <p>The record count in {@code status.dat} is rewritten as soon as a write extends it, as Qdrant's
 * memory-mapped status is: whatever a process killed between flushes leaves in the chunk files is
 * covered by the count it leaves, so records that other stored data already points at (the offsets of a
 * multivector rewritten in place, say) are never beyond the count. {@link #flush()} forces the chunks,
 * then the count, to the device.
 */
final class ChunkedVectorsWriter implements AutoCloseable {

    /** Qdrant's chunk size budget: 32 MiB. */
    static final long CHUNK_SIZE_BYTES = 32L * 1024 * 1024;

    private final Path directory;
    private final int dim;
    private final int recordBytes;
    private final long chunkSizeRecords;
    private final long chunkSizeBytes;
    private final List<FileChannel> chunks = new ArrayList<>();
    private final FileChannel status;
    private long length;
    private long syncedLength;

    private ChunkedVectorsWriter(Path directory, int dim, int recordBytes, long chunkSizeRecords, FileChannel status,
            long length) {
        this.directory = directory;
        this.dim = dim;
        this.recordBytes = recordBytes;
        this.chunkSizeRecords = chunkSizeRecords;
        this.chunkSizeBytes = chunkSizeRecords * recordBytes;
        this.status = status;
        this.length = length;
        this.syncedLength = length;
    }

    /**
     * Opens (creating where missing) a directory of records of {@code dim} elements of {@code elementBytes}
     * bytes. An existing {@code config.json} must agree with the record size.
     */
    static ChunkedVectorsWriter open(Path directory, int dim, int elementBytes) {
        if (dim <= 0) {
            throw new IllegalArgumentException("dimension must be positive: " + dim);
        }
        int recordBytes = Math.multiplyExact(dim, elementBytes);
        try {
            Files.createDirectories(directory);
            Path statusFile = directory.resolve(ChunkedVectorFiles.STATUS_FILE);
            if (!Files.exists(statusFile)) {
                Files.write(statusFile, new byte[Long.BYTES]);
            }
            Path configFile = directory.resolve(ChunkedVectorFiles.CONFIG_FILE);
            long chunkSizeRecords;
            if (Files.exists(configFile)) {
                chunkSizeRecords = checkConfig(configFile, dim, recordBytes);
            } else {
                chunkSizeRecords = CHUNK_SIZE_BYTES / recordBytes;
                writeConfig(configFile, configJson(dim, recordBytes));
            }
            ByteBuffer statusBytes = BinaryFiles.readAll(statusFile);
            if (statusBytes.remaining() < Long.BYTES) {
                throw new EdgeFormatException(statusFile, "truncated: " + statusBytes.remaining()
                        + " bytes, expected 8 (the stored vector count)");
            }
            long length = statusBytes.getLong(0);
            FileChannel status = FileChannel.open(statusFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ChunkedVectorsWriter writer = new ChunkedVectorsWriter(directory, dim, recordBytes, chunkSizeRecords,
                    status, length);
            writer.openExistingChunks();
            return writer;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + directory + " for writing", e);
        }
    }

    /** The exact {@code config.json} Qdrant writes for a new directory of this record geometry. */
    static String configJson(int dim, int recordBytes) {
        long chunkSizeRecords = CHUNK_SIZE_BYTES / recordBytes;
        return "{\"chunk_size_bytes\":" + chunkSizeRecords * recordBytes + ",\"chunk_size_vectors\":"
                + chunkSizeRecords + ",\"dim\":" + dim + "}";
    }

    private static long checkConfig(Path configFile, int dim, int recordBytes) {
        JsonNode config = JsonFiles.readTree(configFile);
        long storedDim = config.path("dim").asLong(-1);
        long records = config.path("chunk_size_vectors").asLong(-1);
        long bytes = config.path("chunk_size_bytes").asLong(-1);
        if (storedDim != dim) {
            throw new EdgeFormatException(configFile, "dim is " + storedDim + ", expected " + dim);
        }
        if (records <= 0 || bytes != records * recordBytes) {
            throw new EdgeFormatException(configFile, "chunk_size_bytes " + bytes + " is not chunk_size_vectors "
                    + records + " times the " + recordBytes + "-byte record");
        }
        return records;
    }

    private static void writeConfig(Path configFile, String json) throws IOException {
        Path temp = configFile.resolveSibling(configFile.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(channel, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
        }
        Files.move(temp, configFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private void openExistingChunks() throws IOException {
        for (long id = 0; Files.exists(ChunkedVectorFiles.chunkFile(directory, id)); id++) {
            chunks.add(FileChannel.open(ChunkedVectorFiles.chunkFile(directory, id), StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        }
    }

    Path directory() {
        return directory;
    }

    int dim() {
        return dim;
    }

    int recordBytes() {
        return recordBytes;
    }

    long chunkSizeRecords() {
        return chunkSizeRecords;
    }

    long chunkSizeBytes() {
        return chunkSizeBytes;
    }

    /** Records stored (the count {@code status.dat} holds, synced to the device or not). */
    long length() {
        return length;
    }

    /** How many records fit from {@code key} to the end of its chunk. */
    long remainingChunkKeys(long key) {
        return chunkSizeRecords - key % chunkSizeRecords;
    }

    /**
     * Writes {@code count} records from {@code records} starting at record {@code firstKey}; they must lie in
     * one chunk. Creates missing chunks up to the target one; the length grows to cover the records.
     */
    void write(long firstKey, byte[] records, int count) {
        if (records.length != (long) count * recordBytes) {
            throw new IllegalArgumentException(records.length + " bytes are not " + count + " records of "
                    + recordBytes + " bytes");
        }
        if (firstKey < 0) {
            throw new IllegalArgumentException("negative key " + firstKey);
        }
        long chunkIndex = firstKey / chunkSizeRecords;
        long offsetRecords = firstKey % chunkSizeRecords;
        if (offsetRecords + count > chunkSizeRecords) {
            throw new IllegalArgumentException("records [" + firstKey + ", " + (firstKey + count)
                    + ") do not fit in one chunk of " + chunkSizeRecords);
        }
        try {
            while (chunks.size() <= chunkIndex) {
                addChunk();
            }
            writeFully(chunks.get((int) chunkIndex), ByteBuffer.wrap(records), offsetRecords * recordBytes);
            if (firstKey + count > length) {
                length = firstKey + count;
                writeStatus();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write records to " + directory, e);
        }
    }

    private void writeStatus() throws IOException {
        writeFully(status, ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length), 0);
    }

    private void addChunk() throws IOException {
        Path file = ChunkedVectorFiles.chunkFile(directory, chunks.size());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (channel.size() < chunkSizeBytes) {
            channel.write(ByteBuffer.allocate(1), chunkSizeBytes - 1);
        }
        chunks.add(channel);
    }

    /** The bytes of records {@code [first, first + count)}, which must be stored and lie in one chunk. */
    ByteBuffer read(long first, int count) {
        if (first < 0 || count < 0 || first + count > length
                || (count > 0 && first / chunkSizeRecords != (first + count - 1) / chunkSizeRecords)) {
            throw new IndexOutOfBoundsException("records [" + first + ", " + (first + count) + ") are not stored in one "
                    + "chunk of " + directory);
        }
        ByteBuffer out = ByteBuffer.allocate(count * recordBytes).order(ByteOrder.LITTLE_ENDIAN);
        if (count == 0) {
            return out;
        }
        try {
            FileChannel chunk = chunks.get((int) (first / chunkSizeRecords));
            long position = (first % chunkSizeRecords) * recordBytes;
            while (out.hasRemaining()) {
                int n = chunk.read(out, position + out.position());
                if (n < 0) {
                    throw new EdgeFormatException(ChunkedVectorFiles.chunkFile(directory, first / chunkSizeRecords),
                            "chunk file shorter than its records");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read records of " + directory, e);
        }
        return out.flip();
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
            VectorElements.decodeInto(read(key, n), type, n * dim, out, outOffset + done * dim);
            done += n;
        }
    }

    /** Forces the chunks to disk, then the record count. */
    void flush() {
        try {
            for (FileChannel chunk : chunks) {
                chunk.force(false);
            }
            if (length != syncedLength) {
                writeStatus();
                status.force(false);
                syncedLength = length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush " + directory, e);
        }
    }

    static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
    }

    @Override
    public void close() {
        IOException failure = null;
        for (FileChannel channel : chunks) {
            try {
                channel.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        chunks.clear();
        try {
            status.close();
        } catch (IOException e) {
            failure = e;
        }
        if (failure != null) {
            throw new UncheckedIOException("cannot close " + directory, failure);
        }
    }
}
