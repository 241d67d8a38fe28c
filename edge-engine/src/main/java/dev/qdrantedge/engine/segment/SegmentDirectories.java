package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.EdgeFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which directories under a shard's {@code segments/} are segments, by Qdrant's rules: a directory whose
 * name does not start with {@code .} nor end with {@code .deleted}, holding a {@code version.info}
 * (written last, so its absence means the segment was never completely saved). Qdrant deletes or renames
 * the rest on load; a reader only skips them and writes nothing.
 */
public final class SegmentDirectories {

    public static final String VERSION_FILE = "version.info";

    /** The segment crate version of every Qdrant release from 1.13 to 1.19. */
    static final int[] SUPPORTED_VERSION = {0, 6, 0};

    private SegmentDirectories() {
    }

    /** The segment directories, sorted by name for a stable order. */
    public static List<Path> scan(Path segmentsDir) {
        List<Path> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(segmentsDir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!Files.isDirectory(entry) || name.startsWith(".") || name.endsWith(".deleted")) {
                    continue;
                }
                if (!Files.isRegularFile(entry.resolve(VERSION_FILE))) {
                    continue;
                }
                result.add(entry);
            }
        } catch (IOException e) {
            throw new EdgeFormatException(segmentsDir, "cannot list segments: " + e.getMessage(), e);
        }
        result.sort(null);
        return result;
    }

    /**
     * Checks {@code version.info}: a segment written by a newer segment format than this engine knows, or
     * by the long-gone pre-0.3 formats, is refused.
     */
    public static void checkVersion(Path segmentDir) {
        Path file = segmentDir.resolve(VERSION_FILE);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new EdgeFormatException(file, "cannot read: " + e.getMessage(), e);
        }
        int[] version = parseSemver(text);
        if (version == null) {
            throw new EdgeFormatException(file, "not a version: '" + text + "'");
        }
        if (compare(version, SUPPORTED_VERSION) > 0) {
            throw new EdgeFormatException(file, "segment format " + text
                    + " is newer than the newest this engine reads (0.6.0)");
        }
        if (version[0] == 0 && version[1] < 6) {
            throw new EdgeFormatException(file, "segment format " + text
                    + " predates Qdrant 1.13 and is not supported (0.6.0 is)");
        }
    }

    private static int[] parseSemver(String text) {
        String core = text.split("[-+]", 2)[0];
        String[] parts = core.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        int[] out = new int[3];
        try {
            for (int i = 0; i < 3; i++) {
                out[i] = Integer.parseInt(parts[i]);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return out;
    }

    private static int compare(int[] a, int[] b) {
        for (int i = 0; i < 3; i++) {
            if (a[i] != b[i]) {
                return Integer.compare(a[i], b[i]);
            }
        }
        return 0;
    }
}
