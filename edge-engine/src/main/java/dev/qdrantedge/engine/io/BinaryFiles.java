package dev.qdrantedge.engine.io;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

/** Reading Qdrant's little-endian binary files; every failure names the file. */
public final class BinaryFiles {

    private BinaryFiles() {
    }

    /** Reads a whole (small) file into a little-endian heap buffer positioned at 0. */
    public static ByteBuffer readAll(Path file) {
        try {
            return read(file);
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        }
    }

    /** As {@link #readAll}, or empty when the file does not exist. */
    public static Optional<ByteBuffer> readAllIfPresent(Path file) {
        try {
            return Optional.of(read(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static ByteBuffer read(Path file) throws NoSuchFileException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new EdgeFormatException(file, "file too large to read at once (" + size + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (buffer.hasRemaining()) {
                if (channel.read(buffer) < 0) {
                    throw new EdgeFormatException(file, "file shrank while being read");
                }
            }
            return buffer.flip();
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Reads 16 bytes in canonical (RFC 4122 string) order as a UUID. */
    public static UUID readCanonicalUuid(ByteBuffer buffer) {
        ByteOrder order = buffer.order();
        buffer.order(ByteOrder.BIG_ENDIAN);
        long msb = buffer.getLong();
        long lsb = buffer.getLong();
        buffer.order(order);
        return new UUID(msb, lsb);
    }
}
