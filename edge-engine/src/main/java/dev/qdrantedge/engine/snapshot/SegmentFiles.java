package dev.qdrantedge.engine.snapshot;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.segment.SegmentDirectories;
import dev.qdrantedge.engine.segment.SegmentState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files of a segment directory as Qdrant's snapshots see them, and the version Qdrant gives each.
 *
 * <p>Qdrant lists a segment's files component by component (id tracker, vector indexes and storages,
 * quantized vectors, payload index, payload storage). Of what those components keep on disk, only
 * {@code segment.json}, {@code version.info} (both always added to snapshots separately), a
 * {@code segment_manifest.json} left by a partial snapshot, the gridstores' crash journal
 * {@code tracker_journal.dat} and what a RocksDB payload index of Qdrant 1.17 or older left directly in
 * {@code payload_index/} are not listed; so the listing here is the directory's regular files minus those
 * (and minus hidden files).
 *
 * <p>Versions, as Qdrant computes them for a segment loaded from disk (its in-memory per-component version
 * tracker starts empty): files that never change after the segment was built ("immutable" files) get the
 * segment's {@code initial_version}, or 0 when it has none; the other files of vector storages and of the
 * payload storage get the segment's {@code version} ({@code null} when it has none); every other file is
 * {@code null}. The immutable files are:
 * <ul>
 *   <li>the immutable id tracker's {@code id_tracker.mappings};
 *   <li>every file of an HNSW index ({@code vector_index[-name]/}), and every file of a built sparse index
 *       (one with {@code sparse_index_config.json}) except {@code indices_tracker.json};
 *   <li>in vector storages: {@code matrix.dat} and every {@code config.json} (chunked vectors and offsets,
 *       sparse gridstore);
 *   <li>quantized vectors ({@code quantized*} in the vector storage directory): their
 *       {@code quantized.config.json}, {@code quantized.meta.json}, immutable data
 *       ({@code quantized.data}, {@code quantized.offsets.data}) and the {@code config.json} of appendable
 *       chunked data; other quantized files are {@code null};
 *   <li>the payload storage's {@code config.json};
 *   <li>in a non-appendable segment, every payload field index file except numeric histograms'
 *       {@code histogram_borders.bin} (appendable segments have mutable field indexes, all {@code null}).
 * </ul>
 * These rules were checked against the reference engine's manifests for every index, storage and
 * quantization kind it can build (see the compatibility tests).
 */
public final class SegmentFiles {

    static final String SEGMENT_STATE = SegmentState.FILE;
    static final String VERSION_INFO = SegmentDirectories.VERSION_FILE;
    static final String TRACKER_JOURNAL = "tracker_journal.dat";

    private SegmentFiles() {
    }

    /** Whether a top-level or nested file of a segment is left out of manifests and snapshots. */
    static boolean isUnlisted(String relativePath) {
        if (relativePath.equals(SEGMENT_STATE) || relativePath.equals(VERSION_INFO)
                || relativePath.equals(SegmentManifest.FILE)) {
            return true;
        }
        for (String part : relativePath.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        if (name.equals(TRACKER_JOURNAL)) {
            return true;
        }
        // Directly in payload_index/ only config.json belongs to the index; the rest is what a RocksDB
        // payload index (Qdrant 1.17 and older) left, which current Qdrant neither reads nor lists.
        return relativePath.startsWith("payload_index/") && relativePath.indexOf('/', "payload_index/".length()) < 0
                && !name.equals("config.json");
    }

    /** The segment's data files (relative, {@code /}-separated, sorted) that Qdrant lists and snapshots. */
    public static List<String> list(Path segmentDir) {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(segmentDir)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                String relative = relative(segmentDir, file);
                if (!isUnlisted(relative)) {
                    files.add(relative);
                }
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new EdgeFormatException(segmentDir, "cannot list the segment's files: " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    static String relative(Path base, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : base.relativize(file)) {
            if (sb.length() > 0) {
                sb.append('/');
            }
            sb.append(part.toString());
        }
        return sb.toString();
    }

    /** The manifest Qdrant computes for this segment directory once loaded. */
    public static SegmentManifest manifest(Path segmentDir) {
        SegmentState state = SegmentState.read(segmentDir);
        OptionalLong version = state.version();
        long initial = state.initialVersion().orElse(0);
        boolean appendable = state.appendable();
        Map<String, OptionalLong> versions = new TreeMap<>();
        for (String file : list(segmentDir)) {
            versions.put(file, versionOf(segmentDir, file, version, initial, appendable));
        }
        return new SegmentManifest(segmentDir.getFileName().toString(), version.orElse(0), versions);
    }

    private static OptionalLong versionOf(Path segmentDir, String file, OptionalLong version, long initial,
            boolean appendable) {
        int slash = file.indexOf('/');
        String top = slash < 0 ? file : file.substring(0, slash);
        String rest = slash < 0 ? "" : file.substring(slash + 1);
        String name = file.substring(file.lastIndexOf('/') + 1);
        OptionalLong immutable = OptionalLong.of(initial);
        if (slash < 0) {
            return file.equals("id_tracker.mappings") ? immutable : OptionalLong.empty();
        }
        if (isComponent(top, "vector_index")) {
            Path indexDir = segmentDir.resolve(top);
            boolean sparse = Files.exists(indexDir.resolve("indices_tracker.json"))
                    || Files.exists(indexDir.resolve("sparse_index_config.json"))
                    || Files.exists(indexDir.resolve("inverted_index_config.json"));
            if (!sparse) {
                return immutable; // HNSW: every file is immutable
            }
            boolean built = Files.exists(indexDir.resolve("sparse_index_config.json"));
            return built && !name.equals("indices_tracker.json") ? immutable : OptionalLong.empty();
        }
        if (isComponent(top, "vector_storage")) {
            if (rest.startsWith("quantized")) {
                if (rest.equals("quantized.config.json") || rest.equals("quantized.meta.json")
                        || rest.equals("quantized.data") || rest.equals("quantized.offsets.data")
                        || (rest.indexOf('/') > 0 && name.equals("config.json"))) {
                    return immutable;
                }
                return OptionalLong.empty();
            }
            if (name.equals("matrix.dat") || name.equals("config.json")) {
                return immutable;
            }
            return version;
        }
        if (top.equals("payload_storage")) {
            return name.equals("config.json") && rest.equals("config.json") ? immutable : version;
        }
        if (top.equals("payload_index")) {
            if (rest.equals("config.json") || appendable || name.equals("histogram_borders.bin")) {
                return OptionalLong.empty();
            }
            return immutable;
        }
        return OptionalLong.empty();
    }

    private static boolean isComponent(String dir, String prefix) {
        return dir.equals(prefix) || dir.startsWith(prefix + "-");
    }
}
