package dev.qdrantedge.engine.gridstore;

/**
 * Where a gridstore value lives: its first page, its first block in that page, and its stored
 * (possibly compressed) length in bytes. A value may continue into the following pages.
 *
 * @param pageId index of the page holding the first byte
 * @param blockOffset block (not byte) offset of the first byte within that page
 * @param length stored length in bytes
 */
public record ValuePointer(long pageId, long blockOffset, long length) {
}
