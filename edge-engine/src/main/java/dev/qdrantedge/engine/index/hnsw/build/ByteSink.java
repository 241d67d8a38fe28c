package dev.qdrantedge.engine.index.hnsw.build;

import java.util.Arrays;

/** A growable little-endian byte buffer. */
final class ByteSink {

    private byte[] bytes = new byte[1024];
    private int size;

    int size() {
        return size;
    }

    void write(int b) {
        if (size == bytes.length) {
            bytes = Arrays.copyOf(bytes, size * 2);
        }
        bytes[size++] = (byte) b;
    }

    void writeLong(long value) {
        for (int i = 0; i < 8; i++) {
            write((int) (value >>> (8 * i)));
        }
    }

    void writeInt(int value) {
        for (int i = 0; i < 4; i++) {
            write(value >>> (8 * i));
        }
    }

    void writeAll(ByteSink other) {
        for (int i = 0; i < other.size; i++) {
            write(other.bytes[i]);
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
