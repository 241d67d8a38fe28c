package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.MappedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The memory-mapped {@code page_0.dat … page_{n-1}.dat} of a gridstore. As Qdrant does on open, the number
 * of pages is inferred from the size of {@code bitmask.dat} (one bit per block) and must match the page
 * files present; {@code gaps.dat} must exist too. Reading a value copies only its own bytes.
 */
final class GridstorePages {

    static final String BITMASK_FILE = "bitmask.dat";
    static final String GAPS_FILE = "gaps.dat";

    private final GridstoreConfig config;
    private final Path[] files;
    private final MappedFile[] pages;

    private GridstorePages(GridstoreConfig config, Path[] files, MappedFile[] pages) {
        this.config = config;
        this.files = files;
        this.pages = pages;
    }

    static GridstorePages open(Path dir, GridstoreConfig config) {
        int count = pageCount(dir, config);
        Path gaps = dir.resolve(GAPS_FILE);
        if (!Files.isRegularFile(gaps)) {
            throw new EdgeFormatException(gaps, "file is missing");
        }
        Path[] files = new Path[count];
        MappedFile[] pages = new MappedFile[count];
        for (int i = 0; i < count; i++) {
            files[i] = pagePath(dir, i);
            if (!Files.exists(files[i])) {
                throw new EdgeFormatException(files[i], "file is missing (" + BITMASK_FILE + " covers " + count
                        + " page(s))");
            }
            pages[i] = MappedFile.map(files[i]);
            if (pages[i].size() < config.pageSizeBytes()) {
                throw new EdgeFormatException(files[i], "truncated: " + pages[i].size()
                        + " bytes, but pages are " + config.pageSizeBytes() + " bytes (page_size_bytes)");
            }
        }
        Path extra = pagePath(dir, count);
        if (Files.exists(extra)) {
            throw new EdgeFormatException(extra, "unexpected page: " + BITMASK_FILE + " covers only " + count
                    + " page(s)");
        }
        return new GridstorePages(config, files, pages);
    }

    static Path pagePath(Path dir, long pageId) {
        return dir.resolve("page_" + pageId + ".dat");
    }

    private static int pageCount(Path dir, GridstoreConfig config) {
        Path bitmask = dir.resolve(BITMASK_FILE);
        long bytes;
        try {
            bytes = Files.size(bitmask);
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(bitmask, "file is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(bitmask, "cannot read: " + e.getMessage(), e);
        }
        long pages = bytes * 8 * config.blockSizeBytes() / config.pageSizeBytes();
        if (pages > Integer.MAX_VALUE) {
            throw new EdgeFormatException(bitmask, "implausible size " + bytes + " bytes");
        }
        return (int) pages;
    }

    int count() {
        return pages.length;
    }

    /** The file holding the first byte of the value. */
    Path fileOf(ValuePointer pointer) {
        return files[(int) pointer.pageId()];
    }

    /**
     * Whether the pointer lies within the pages: a known page, a block inside it, and a length that ends
     * within the last page.
     */
    boolean contains(ValuePointer pointer) {
        long pageSize = config.pageSizeBytes();
        long start = pointer.blockOffset() * config.blockSizeBytes();
        return pointer.pageId() < pages.length && start < pageSize
                && pointer.pageId() * pageSize + start + pointer.length() <= pages.length * pageSize;
    }

    /** Copies a value's stored bytes, following it across page boundaries. */
    byte[] read(ValuePointer pointer) {
        if (pointer.length() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("value of " + pointer.length() + " bytes is too large");
        }
        byte[] value = new byte[(int) pointer.length()];
        int page = (int) pointer.pageId();
        int start = (int) (pointer.blockOffset() * config.blockSizeBytes());
        int done = 0;
        while (done < value.length) {
            int chunk = Math.min(value.length - done, config.pageSizeBytes() - start);
            pages[page].get(start, value, done, chunk);
            done += chunk;
            page++;
            start = 0;
        }
        return value;
    }
}
