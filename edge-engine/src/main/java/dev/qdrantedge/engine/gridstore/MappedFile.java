package dev.qdrantedge.engine.gridstore;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Maps a whole file read-only, little-endian; failures name the file. */
final class MappedFile {

    private MappedFile() {
    }

    static MappedByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new EdgeFormatException(file, "files larger than 2 GiB are not supported (" + size + " bytes)");
            }
            MappedByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            buffer.order(ByteOrder.LITTLE_ENDIAN);
            return buffer;
        } catch (NoSuchFileException e) {
            throw new EdgeFormatException(file, "file is missing", e);
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot map: " + e.getMessage(), e);
        }
    }
}
