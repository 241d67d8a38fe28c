package dev.qdrantedge.engine.snapshot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes a tar archive the way Qdrant's snapshots are written (tar-rs with GNU headers and sparse files on):
 * GNU headers, GNU long-name ({@code L}) entries for names over 100 bytes, and old-GNU sparse ({@code S})
 * entries for files with holes, whose all-zero 4 KiB blocks are left out of the archive and recorded in the
 * sparse map (four pairs in the header, 21 per extension block). Sizes too large for octal fields use GNU
 * base-256. The archive ends with two zero blocks.
 */
final class TarWriter implements AutoCloseable {

    static final int RECORD = 512;
    private static final int NAME_LENGTH = 100;
    private static final byte[] ZEROS = new byte[RECORD];

    private final OutputStream out;
    private final long mtime;
    private long position;
    private boolean finished;

    TarWriter(OutputStream out, long mtimeSeconds) {
        this.out = out;
        this.mtime = mtimeSeconds;
    }

    /** A directory entry ({@code name} without the trailing slash). */
    void directory(String name) throws IOException {
        writeHeaders(name + "/", (byte) '5', 0755, 0, null, 0);
    }

    /** A file with the given content, as a regular entry. */
    void file(String name, byte[] content) throws IOException {
        writeHeaders(name, (byte) '0', 0644, content.length, null, content.length);
        write(content, 0, content.length);
        pad(content.length);
    }

    /** A file copied from disk: a sparse entry when it has all-zero blocks, else a regular one. */
    void file(String name, Path source) throws IOException {
        try (FileChannel channel = FileChannel.open(source, StandardOpenOption.READ)) {
            long size = channel.size();
            List<long[]> regions = dataRegions(channel, size);
            boolean sparse = !(regions.size() == 1 && regions.get(0)[0] == 0 && regions.get(0)[1] == size) && size > 0;
            if (!sparse) {
                writeHeaders(name, (byte) '0', 0644, size, null, size);
                copy(channel, 0, size);
                pad(size);
                return;
            }
            List<long[]> map = new ArrayList<>(regions);
            long last = map.isEmpty() ? 0 : map.get(map.size() - 1)[0] + map.get(map.size() - 1)[1];
            if (last < size || map.isEmpty()) {
                map.add(new long[] {size, 0}); // GNU marks a trailing hole with an empty chunk at the end
            }
            long stored = 0;
            for (long[] r : regions) {
                stored += r[1];
            }
            writeHeaders(name, (byte) 'S', 0644, stored, map, size);
            for (long[] r : regions) {
                copy(channel, r[0], r[1]);
            }
            pad(stored);
        }
    }

    /** The {@code (offset, length)} runs of the file that are not made of all-zero 4 KiB blocks. */
    static List<long[]> dataRegions(FileChannel channel, long size) throws IOException {
        List<long[]> regions = new ArrayList<>();
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long pos = 0;
        long start = -1;
        while (pos < size) {
            buffer.clear();
            int n = channel.read(buffer, pos);
            if (n <= 0) {
                throw new IOException("file shrank while being archived");
            }
            byte[] b = buffer.array();
            for (int off = 0; off < n; off += TarExtractor.BLOCK) {
                int len = Math.min(TarExtractor.BLOCK, n - off);
                boolean zero = TarExtractor.isZero(b, off, len);
                long blockStart = pos + off;
                if (!zero && start < 0) {
                    start = blockStart;
                } else if (zero && start >= 0) {
                    regions.add(new long[] {start, blockStart - start});
                    start = -1;
                }
            }
            pos += n;
        }
        if (start >= 0) {
            regions.add(new long[] {start, size - start});
        }
        return regions;
    }

    private void copy(FileChannel channel, long from, long length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        long pos = from;
        long end = from + length;
        while (pos < end) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), end - pos));
            int n = channel.read(buffer, pos);
            if (n <= 0) {
                throw new IOException("file shrank while being archived");
            }
            write(buffer.array(), 0, n);
            pos += n;
        }
    }

    /** Copies a stream of known length as a regular entry. */
    void file(String name, InputStream in, long size) throws IOException {
        writeHeaders(name, (byte) '0', 0644, size, null, size);
        byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("stream ended early");
            }
            write(buffer, 0, n);
            left -= n;
        }
        pad(size);
    }

    private void writeHeaders(String name, byte type, int mode, long size, List<long[]> sparse, long realSize)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > NAME_LENGTH) {
            byte[] longName = Arrays.copyOf(nameBytes, nameBytes.length + 1);
            byte[] header = header("././@LongLink", (byte) 'L', 0644, longName.length);
            write(checksummed(header), 0, RECORD);
            write(longName, 0, longName.length);
            pad(longName.length);
            nameBytes = Arrays.copyOf(nameBytes, NAME_LENGTH);
        }
        byte[] header = header(nameBytes, type, mode, size);
        int extensions = 0;
        if (sparse != null) {
            for (int i = 0; i < Math.min(4, sparse.size()); i++) {
                number(header, 386 + i * 24, 12, sparse.get(i)[0]);
                number(header, 386 + i * 24 + 12, 12, sparse.get(i)[1]);
            }
            extensions = sparse.size() > 4 ? (sparse.size() - 4 + 20) / 21 : 0;
            header[482] = (byte) (extensions > 0 ? 1 : 0);
            number(header, 483, 12, realSize);
        }
        write(checksummed(header), 0, RECORD);
        for (int e = 0; e < extensions; e++) {
            byte[] block = new byte[RECORD];
            int first = 4 + e * 21;
            for (int i = 0; i < 21 && first + i < sparse.size(); i++) {
                number(block, i * 24, 12, sparse.get(first + i)[0]);
                number(block, i * 24 + 12, 12, sparse.get(first + i)[1]);
            }
            block[504] = (byte) (e < extensions - 1 ? 1 : 0);
            write(block, 0, RECORD);
        }
    }

    private byte[] header(String name, byte type, int mode, long size) {
        return header(name.getBytes(StandardCharsets.UTF_8), type, mode, size);
    }

    private byte[] header(byte[] name, byte type, int mode, long size) {
        byte[] h = new byte[RECORD];
        System.arraycopy(name, 0, h, 0, Math.min(name.length, NAME_LENGTH));
        number(h, 100, 8, mode);
        number(h, 108, 8, 0);
        number(h, 116, 8, 0);
        number(h, 124, 12, size);
        number(h, 136, 12, mtime);
        h[156] = type;
        byte[] magic = "ustar  \0".getBytes(StandardCharsets.US_ASCII); // GNU magic and version
        System.arraycopy(magic, 0, h, 257, magic.length);
        return h;
    }

    /** Octal, zero-padded, NUL-terminated; GNU base-256 when it does not fit. */
    static void number(byte[] h, int offset, int length, long value) {
        String octal = Long.toOctalString(value);
        if (value >= 0 && octal.length() <= length - 1) {
            String padded = "0".repeat(length - 1 - octal.length()) + octal;
            byte[] digits = padded.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, h, offset, digits.length);
            h[offset + length - 1] = 0;
            return;
        }
        long v = value;
        for (int i = offset + length - 1; i > offset; i--) {
            h[i] = (byte) v;
            v >>>= 8;
        }
        h[offset] = (byte) 0x80;
    }

    private static byte[] checksummed(byte[] h) {
        Arrays.fill(h, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String octal = Long.toOctalString(sum);
        byte[] digits = ("0".repeat(6 - octal.length()) + octal).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(digits, 0, h, 148, 6);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
    }

    private void pad(long length) throws IOException {
        int rest = (int) (length % RECORD);
        if (rest != 0) {
            write(ZEROS, 0, RECORD - rest);
        }
    }

    /** Writes the end-of-archive marker (two zero records). */
    void finish() throws IOException {
        if (!finished) {
            write(ZEROS, 0, RECORD);
            write(ZEROS, 0, RECORD);
            finished = true;
        }
        out.flush();
    }

    long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    /** Convenience for tests and nested archives: writes entries into a new file. */
    static TarWriter create(Path file, long mtimeSeconds) throws IOException {
        return new TarWriter(new java.io.BufferedOutputStream(Files.newOutputStream(file,
                StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), 1 << 16), mtimeSeconds);
    }
}
