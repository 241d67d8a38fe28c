package dev.qdrantedge.engine.gridstore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import net.jpountz.lz4.LZ4Factory;

/**
 * Writes small hand-made gridstores for tests: values are laid out back to back at block boundaries (a value
 * may cross into the next page), with a consistent bitmask. Not a Qdrant-compatible writer in general.
 */
public final class GridstoreWriter {

    private final Path dir;
    private int pageSize = 1024;
    private int blockSize = 128;
    private int regionBlocks = 8;
    private boolean lz4 = true;
    private String extraConfig = "";
    private final Map<Integer, byte[]> values = new TreeMap<>();

    public GridstoreWriter(Path dir) {
        this.dir = dir;
    }

    public GridstoreWriter pageSize(int bytes) {
        this.pageSize = bytes;
        return this;
    }

    public GridstoreWriter blockSize(int bytes) {
        this.blockSize = bytes;
        return this;
    }

    public GridstoreWriter regionBlocks(int blocks) {
        this.regionBlocks = blocks;
        return this;
    }

    public GridstoreWriter lz4(boolean enabled) {
        this.lz4 = enabled;
        return this;
    }

    /** Extra JSON members appended to config.json, e.g. {@code ,"mode":"mutable"}. */
    public GridstoreWriter extraConfig(String json) {
        this.extraConfig = json;
        return this;
    }

    public GridstoreWriter put(int pointOffset, byte[] value) {
        values.put(pointOffset, value);
        return this;
    }

    public GridstoreWriter put(int pointOffset, String utf8) {
        return put(pointOffset, utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** The stored form of a value: size-prepended LZ4 block, as Qdrant's payload storage writes it. */
    public static byte[] lz4(byte[] value) {
        byte[] block = LZ4Factory.safeInstance().fastCompressor().compress(value);
        return ByteBuffer.allocate(4 + block.length).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length).put(block)
                .array();
    }

    /** Writes all files and returns the directory. */
    public Path write() {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("config.json"), "{\"page_size_bytes\":" + pageSize + ",\"block_size_bytes\":"
                    + blockSize + ",\"region_size_blocks\":" + regionBlocks + ",\"compression\":\""
                    + (lz4 ? "LZ4" : "None") + "\"" + extraConfig + "}");
            int maxOffset = values.isEmpty() ? -1 : ((TreeMap<Integer, byte[]>) values).lastKey();
            ByteBuffer tracker = ByteBuffer.allocate(Math.max(64, 4 + 16 * (maxOffset + 1)))
                    .order(ByteOrder.LITTLE_ENDIAN);
            tracker.putInt(0, maxOffset + 1);
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            for (Map.Entry<Integer, byte[]> e : values.entrySet()) {
                byte[] stored = lz4 ? lz4(e.getValue()) : e.getValue();
                long start = data.size();
                long page = start / pageSize;
                long block = (start % pageSize) / blockSize;
                int slot = 4 + 16 * e.getKey();
                tracker.putInt(slot, 1).putInt(slot + 4, (int) page).putInt(slot + 8, (int) block)
                        .putInt(slot + 12, stored.length);
                data.write(stored);
                int blocks = (stored.length + blockSize - 1) / blockSize;
                data.write(new byte[blocks * blockSize - stored.length]);
            }
            int pages = Math.max(1, (data.size() + pageSize - 1) / pageSize);
            byte[] all = java.util.Arrays.copyOf(data.toByteArray(), pages * pageSize);
            for (int p = 0; p < pages; p++) {
                Files.write(dir.resolve("page_" + p + ".dat"),
                        java.util.Arrays.copyOfRange(all, p * pageSize, (p + 1) * pageSize));
            }
            int blocksPerPage = pageSize / blockSize;
            byte[] bitmask = new byte[pages * blocksPerPage / 8];
            for (int b = 0; b < data.size() / blockSize; b++) {
                bitmask[b / 8] |= (byte) (1 << (b % 8));
            }
            Files.write(dir.resolve("bitmask.dat"), bitmask);
            Files.write(dir.resolve("gaps.dat"), new byte[pages * blocksPerPage / regionBlocks * 6]);
            Files.write(dir.resolve("tracker.dat"), tracker.array());
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
