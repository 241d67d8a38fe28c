package dev.qdrantedge.engine.index.hnsw;

/**
 * The three forms of an HNSW links file, in the order Qdrant's loader probes for them.
 */
public enum LinksFormat {

    /** Compressed links with the vectors inlined next to them (Qdrant 1.16+, {@code inline_storage}). */
    COMPRESSED_WITH_VECTORS("links_comp_vec.bin"),
    /** Bit-packed links and offsets: what Qdrant writes by default. */
    COMPRESSED("links_compressed.bin"),
    /** Raw {@code u32} links and {@code u64} offsets (older versions). */
    PLAIN("links.bin");

    private final String fileName;

    LinksFormat(String fileName) {
        this.fileName = fileName;
    }

    /** The file name inside the index directory. */
    public String fileName() {
        return fileName;
    }
}
