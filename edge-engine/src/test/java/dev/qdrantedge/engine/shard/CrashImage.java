package dev.qdrantedge.engine.shard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * What a process killed right now would leave of a shard directory: a copy of its files as the operating
 * system holds them (written, synced or not), taken while the shard is open. The lock file is left out, as a
 * dead process holds no lock. All-zero blocks are skipped, so the copies of the large sparse files Qdrant's
 * formats preallocate stay sparse and cheap.
 */
final class CrashImage {

    private static final int BLOCK = 64 * 1024;

    private CrashImage() {
    }

    static Path of(Path shardDir, Path target) {
        try (Stream<Path> files = Files.walk(shardDir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path dest = target.resolve(shardDir.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(dest);
                } else if (!file.getFileName().toString().equals(ShardLock.FILE)) {
                    copySparse(file, dest);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    private static void copySparse(Path source, Path dest) throws IOException {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(dest, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            ByteBuffer block = ByteBuffer.allocate(BLOCK);
            for (long at = 0; at < size; at += BLOCK) {
                block.clear();
                while (block.hasRemaining() && in.read(block, at + block.position()) > 0) {
                    // read the whole block (or up to the end of the file)
                }
                block.flip();
                if (!allZero(block)) {
                    while (block.hasRemaining()) {
                        out.write(block, at + block.position());
                    }
                }
            }
            if (out.size() < size) {
                out.write(ByteBuffer.allocate(1), size - 1);
            }
        }
    }

    private static boolean allZero(ByteBuffer block) {
        for (int i = block.position(); i < block.limit(); i++) {
            if (block.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
