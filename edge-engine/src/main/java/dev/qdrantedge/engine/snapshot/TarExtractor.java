package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.snapshot.SnapshotException.Kind;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveStructSparse;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Unpacks one tar archive into a fresh directory, refusing what Qdrant refuses and more: entries other than
 * directories, regular files and GNU sparse files (links, devices, FIFOs, ...), names that are absolute or
 * climb out with {@code ..}, duplicate files, sizes beyond the {@link SnapshotLimits}, and archives that end
 * early, including those cut exactly between two entries (the end-of-archive marker, which Qdrant's archives
 * always carry, is required). GNU long names and PAX headers are read by Commons Compress, old-GNU sparse
 * entries are reassembled by it; the files are written sparse again (all-zero 4 KiB blocks become holes).
 *
 * <p>The target directory is private to the caller (a staging directory): it is expected to hold no links,
 * so creating parents cannot be redirected outside it.
 */
final class TarExtractor {

    static final int BLOCK = 4096;

    private TarExtractor() {
    }

    /** Unpacks {@code archive} into {@code dir}, which exists; names in errors are prefixed with {@code label}. */
    static void extract(Path archive, Path dir, UnpackBudget budget, String label) {
        boolean[] endMarker = {false};
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new BufferedInputStream(file, 1 << 16)) {
                    @Override
                    protected boolean isEOFRecord(byte[] record) {
                        boolean end = super.isEOFRecord(record);
                        if (end && record != null) {
                            endMarker[0] = true;
                        }
                        return end;
                    }
                }) {
            byte[] buffer = new byte[1 << 16];
            while (true) {
                TarArchiveEntry entry;
                try {
                    entry = tar.getNextEntry();
                } catch (IOException | RuntimeException e) {
                    throw readFailure(label, "after the last readable entry", e);
                }
                if (entry == null) {
                    break;
                }
                unpackEntry(tar, entry, dir, budget, label, buffer);
            }
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot read " + label + ": " + e.getMessage(), e);
        }
        if (!endMarker[0]) {
            throw new SnapshotException(Kind.TRUNCATED, label + " is truncated: it ends without the end-of-archive"
                    + " marker");
        }
    }

    private static void unpackEntry(TarArchiveInputStream tar, TarArchiveEntry entry, Path dir, UnpackBudget budget,
            String label, byte[] buffer) {
        String name = entry.getName();
        String where = label + " entry '" + name + "'";
        budget.entry(where);
        List<String> parts = safeParts(name, where);
        byte type = entry.getLinkFlag();
        if (entry.isSymbolicLink() || entry.isLink() || type == TarConstants.LF_SYMLINK || type == TarConstants.LF_LINK) {
            throw new SnapshotException(Kind.LINK, where + " is a link (to '" + entry.getLinkName()
                    + "'); snapshots may hold only files and directories");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new SnapshotException(Kind.SPECIAL_FILE, where + " is a device or FIFO; snapshots may hold only"
                    + " files and directories");
        }
        boolean directory = type == TarConstants.LF_DIR;
        boolean file = type == TarConstants.LF_NORMAL || type == TarConstants.LF_OLDNORM
                || type == TarConstants.LF_GNUTYPE_SPARSE;
        if (!directory && !file) {
            throw new SnapshotException(Kind.SPECIAL_FILE, where + " has entry type '" + (char) type
                    + "'; snapshots may hold only files and directories");
        }
        if (parts.isEmpty()) {
            if (directory) {
                return; // "./": the target itself
            }
            throw new SnapshotException(Kind.UNSAFE_PATH, where + ": a file entry needs a name");
        }
        Path target = dir;
        for (String part : parts) {
            target = target.resolve(part);
        }
        if (!target.normalize().startsWith(dir)) {
            throw new SnapshotException(Kind.UNSAFE_PATH, where + " points outside the target directory");
        }
        try {
            if (directory) {
                createDirectories(dir, parts, where);
                return;
            }
            long size = entry.isSparse() ? entry.getRealSize() : entry.getSize();
            if (size < 0) {
                throw new SnapshotException(Kind.MALFORMED, where + " has a negative size");
            }
            budget.file(where, size);
            createDirectories(dir, parts.subList(0, parts.size() - 1), where);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new SnapshotException(Kind.MALFORMED, where + " appears twice in the archive");
            }
            writeSparse(tar, entry, target, size, where, buffer);
        } catch (IOException e) {
            throw new SnapshotException(Kind.IO, "cannot unpack " + where + ": " + e.getMessage(), e);
        }
    }

    /** The name's components without {@code .}; refuses absolute names, {@code ..}, NUL and empty names. */
    static List<String> safeParts(String name, String where) {
        if (name.indexOf('\0') >= 0) {
            throw new SnapshotException(Kind.UNSAFE_PATH, where + " has a NUL byte in its name");
        }
        if (name.startsWith("/")) {
            throw new SnapshotException(Kind.UNSAFE_PATH, where + " is an absolute path");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new SnapshotException(Kind.UNSAFE_PATH, where + " climbs out of the target with '..'");
            }
            parts.add(part);
        }
        return parts;
    }

    private static void createDirectories(Path dir, List<String> parts, String where) throws IOException {
        Path current = dir;
        for (String part : parts) {
            current = current.resolve(part);
            if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            try {
                Files.createDirectory(current);
            } catch (FileAlreadyExistsException e) {
                throw new SnapshotException(Kind.MALFORMED, where + ": " + dir.relativize(current)
                        + " is both a file and a directory in the archive");
            }
        }
    }

    /**
     * Writes the entry's content to {@code target}, leaving holes: for a sparse entry the holes of its map
     * are skipped without being read, and within data, as everywhere, all-zero 4 KiB blocks are not written.
     */
    private static void writeSparse(TarArchiveInputStream in, TarArchiveEntry entry, Path target, long size,
            String where, byte[] buffer) throws IOException {
        List<long[]> regions = new ArrayList<>();
        if (entry.isSparse()) {
            for (TarArchiveStructSparse s : entry.getOrderedSparseHeaders()) {
                regions.add(new long[] {s.getOffset(), s.getNumbytes()});
            }
        } else {
            regions.add(new long[] {0, size});
        }
        try (RandomAccessFile raf = new RandomAccessFile(target.toFile(), "rw")) {
            FileChannel channel = raf.getChannel();
            long pos = 0;
            for (long[] region : regions) {
                long offset = region[0];
                long length = region[1];
                if (offset < pos || length < 0 || offset > size || length > size - offset) {
                    throw new SnapshotException(Kind.MALFORMED, where + " has an invalid sparse map");
                }
                skipFully(in, offset - pos, where);
                copyRegion(in, channel, offset, length, where, buffer);
                pos = offset + length;
            }
            skipFully(in, size - pos, where);
            int extra;
            try {
                extra = in.read();
            } catch (IOException | RuntimeException e) {
                throw readFailure(where, "", e);
            }
            if (extra >= 0) {
                throw new SnapshotException(Kind.MALFORMED, where + " holds more data than its header says");
            }
            raf.setLength(size);
        }
    }

    private static void skipFully(InputStream in, long n, String where) {
        long left = n;
        try {
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    throw new SnapshotException(Kind.TRUNCATED, where + " ends " + left + " bytes early");
                }
                left -= skipped;
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SnapshotException se) {
                throw se;
            }
            throw readFailure(where, "", e);
        }
    }

    /** Copies {@code length} bytes to {@code offset}.., not writing all-zero 4 KiB blocks (aligned to the region). */
    private static void copyRegion(InputStream in, FileChannel channel, long offset, long length, String where,
            byte[] buffer) throws IOException {
        long done = 0;
        while (done < length) {
            int want = (int) Math.min(buffer.length, length - done);
            int filled = 0;
            while (filled < want) {
                int n;
                try {
                    n = in.read(buffer, filled, want - filled);
                } catch (IOException | RuntimeException e) {
                    throw readFailure(where, "", e);
                }
                if (n < 0) {
                    throw new SnapshotException(Kind.TRUNCATED, where + " ends " + (length - done - filled)
                            + " bytes early");
                }
                filled += n;
            }
            for (int off = 0; off < filled; off += BLOCK) {
                int len = Math.min(BLOCK, filled - off);
                if (!isZero(buffer, off, len)) {
                    ByteBuffer bb = ByteBuffer.wrap(buffer, off, len);
                    long at = offset + done + off;
                    while (bb.hasRemaining()) {
                        at += channel.write(bb, at);
                    }
                }
            }
            done += filled;
        }
    }

    private static final byte[] ZERO_BLOCK = new byte[BLOCK];

    /** Whether {@code len} (at most {@link #BLOCK}) bytes at {@code off} are all zero. */
    static boolean isZero(byte[] b, int off, int len) {
        return java.util.Arrays.mismatch(b, off, off + len, ZERO_BLOCK, 0, len) < 0;
    }

    private static SnapshotException readFailure(String where, String context, Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        boolean truncated = e instanceof EOFException || message.toLowerCase(java.util.Locale.ROOT).contains("truncated");
        String at = context.isEmpty() ? where : where + " " + context;
        if (truncated) {
            return new SnapshotException(Kind.TRUNCATED, at + ": the archive is truncated (" + message + ")", e);
        }
        return new SnapshotException(Kind.MALFORMED, at + ": not a readable tar archive (" + message + ")", e);
    }
}
