package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.JsonFiles;
import java.nio.file.Path;
import tools.jackson.databind.JsonNode;

/**
 * A gridstore's {@code config.json}. Keys this engine does not know (added by newer servers) are ignored.
 * The {@code mode} key, written since Qdrant 1.19, must name the read-write layout ({@code "mutable"}, or
 * {@code "dynamic"} as some development builds wrote it) or be absent; the append-only layout uses other
 * files and is refused.
 *
 * @param pageSizeBytes size of every {@code page_N.dat}
 * @param blockSizeBytes allocation unit; tracker block offsets count these
 * @param regionSizeBlocks blocks per free-space region (at most 65535)
 * @param compression how values are compressed
 */
public record GridstoreConfig(int pageSizeBytes, int blockSizeBytes, int regionSizeBlocks,
        GridstoreCompression compression) {

    public static final String FILE = "config.json";

    /** Qdrant's defaults: 32 MiB pages of 128-byte blocks in regions of 8192 blocks. */
    public static final int DEFAULT_PAGE_SIZE_BYTES = 32 * 1024 * 1024;
    public static final int DEFAULT_BLOCK_SIZE_BYTES = 128;
    public static final int DEFAULT_REGION_SIZE_BLOCKS = 8192;

    /** The configuration Qdrant gives a payload storage: defaults, LZ4. */
    public static final GridstoreConfig PAYLOADS = new GridstoreConfig(DEFAULT_PAGE_SIZE_BYTES,
            DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_REGION_SIZE_BLOCKS, GridstoreCompression.LZ4);

    /** The configuration Qdrant gives a sparse vector store: defaults, no compression. */
    public static final GridstoreConfig SPARSE_VECTORS = new GridstoreConfig(DEFAULT_PAGE_SIZE_BYTES,
            DEFAULT_BLOCK_SIZE_BYTES, DEFAULT_REGION_SIZE_BLOCKS, GridstoreCompression.NONE);

    /**
     * Checks the same constraints {@link #read} enforces, so that a store created from this config can be
     * opened again.
     */
    public GridstoreConfig {
        if (pageSizeBytes <= 0 || blockSizeBytes <= 0 || regionSizeBlocks <= 0) {
            throw new IllegalArgumentException("sizes must be positive: page " + pageSizeBytes + ", block "
                    + blockSizeBytes + ", region " + regionSizeBlocks);
        }
        if (regionSizeBlocks > 0xFFFF) {
            throw new IllegalArgumentException("region_size_blocks: must fit in 16 bits, was " + regionSizeBlocks);
        }
        if (pageSizeBytes % ((long) blockSizeBytes * regionSizeBlocks) != 0) {
            throw new IllegalArgumentException("page_size_bytes " + pageSizeBytes
                    + " is not a multiple of block_size_bytes * region_size_blocks = "
                    + (long) blockSizeBytes * regionSizeBlocks);
        }
        if (compression == null) {
            throw new IllegalArgumentException("compression: missing");
        }
    }

    /**
     * {@code config.json} exactly as Qdrant (1.19, and the Edge builds that write the {@code mode} key)
     * writes it: compact, keys in this order.
     */
    public String toJson() {
        return "{\"mode\":\"mutable\",\"page_size_bytes\":" + pageSizeBytes + ",\"block_size_bytes\":"
                + blockSizeBytes + ",\"region_size_blocks\":" + regionSizeBlocks + ",\"compression\":\""
                + compression.json() + "\"}";
    }

    /** Reads {@code config.json} of the gridstore in {@code dir}. */
    public static GridstoreConfig read(Path dir) {
        Path file = dir.resolve(FILE);
        JsonNode root = JsonFiles.readTree(file);
        try {
            return parse(root);
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(file, e.getMessage(), e);
        }
    }

    static GridstoreConfig parse(JsonNode root) {
        if (!root.isObject()) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        JsonNode mode = root.get("mode");
        if (mode != null && !mode.isNull()) {
            String name = mode.asString();
            if (name.equals("append_only")) {
                throw new IllegalArgumentException("mode \"append_only\" (the log-structured layout) is not supported");
            }
            if (!name.equals("mutable") && !name.equals("dynamic")) {
                throw new IllegalArgumentException("mode: unknown value '" + name + "'");
            }
        }
        long page = positive(root, "page_size_bytes");
        long block = positive(root, "block_size_bytes");
        long region = positive(root, "region_size_blocks");
        JsonNode compression = root.get("compression");
        GridstoreCompression codec = compression == null || compression.isNull() ? GridstoreCompression.LZ4
                : GridstoreCompression.fromJson(compression.asString());
        if (region > 0xFFFF) {
            throw new IllegalArgumentException("region_size_blocks: must fit in 16 bits, was " + region);
        }
        if (page > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("page_size_bytes: pages larger than 2 GiB are not supported, was " + page);
        }
        if (page % (block * region) != 0) {
            throw new IllegalArgumentException("page_size_bytes " + page
                    + " is not a multiple of block_size_bytes * region_size_blocks = " + block * region);
        }
        return new GridstoreConfig((int) page, (int) block, (int) region, codec);
    }

    /** Blocks in one page. */
    public int blocksPerPage() {
        return pageSizeBytes / blockSizeBytes;
    }

    private static long positive(JsonNode root, String key) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(key + ": missing");
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0) {
            throw new IllegalArgumentException(key + ": expected a positive integer, was " + value);
        }
        return value.asLong();
    }
}
