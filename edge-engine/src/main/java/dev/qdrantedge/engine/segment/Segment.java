package dev.qdrantedge.engine.segment;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.idtracker.IdTracker;
import dev.qdrantedge.engine.idtracker.ImmutableIdTrackerReader;
import dev.qdrantedge.engine.idtracker.MutableIdTrackerReader;
import java.nio.file.Files;
import java.nio.file.Path;

/** One segment of a shard, opened for reading. */
public final class Segment {

    private final Path directory;
    private final SegmentState state;
    private final IdTracker idTracker;

    private Segment(Path directory, SegmentState state, IdTracker idTracker) {
        this.directory = directory;
        this.state = state;
        this.idTracker = idTracker;
    }

    /** Opens a segment directory that {@link SegmentDirectories#scan} accepted. */
    public static Segment open(Path directory) {
        SegmentDirectories.checkVersion(directory);
        SegmentState state = SegmentState.read(directory);
        return new Segment(directory, state, openIdTracker(directory, state));
    }

    /**
     * Picks the id-tracker format as Qdrant does: appendable segments use the mutable tracker; otherwise
     * the files present decide.
     */
    private static IdTracker openIdTracker(Path directory, SegmentState state) {
        if (state.appendable()) {
            return MutableIdTrackerReader.read(directory);
        }
        if (Files.exists(directory.resolve("id_tracker.i2e"))) {
            throw new EdgeFormatException(directory.resolve("id_tracker.i2e"),
                    "the disk id tracker (Qdrant 1.19 serverless mode) is not supported");
        }
        if (Files.exists(directory.resolve(ImmutableIdTrackerReader.MAPPINGS_FILE))) {
            return ImmutableIdTrackerReader.read(directory);
        }
        return MutableIdTrackerReader.read(directory);
    }

    public Path directory() {
        return directory;
    }

    /** The directory name: the segment's UUID. */
    public String id() {
        return directory.getFileName().toString();
    }

    public SegmentState state() {
        return state;
    }

    public IdTracker idTracker() {
        return idTracker;
    }

    public boolean appendable() {
        return state.appendable();
    }
}
