package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places scanned segments in the WAL's index space as Qdrant does when it opens a WAL: closed segments
 * by start index, which must be contiguous; then the open segments by id, where every open segment
 * holding entries except the last one counts as closed (a crash can strand them between the rename to
 * {@code closed-*} and the directory sync). Empty open segments beyond the current one are spares.
 * Also rejects damage that is not at the very end of the data.
 */
final class WalLayout {

    private WalLayout() {
    }

    /** The segments holding the WAL's index space, in index order. */
    static List<Placed> place(Path walDir, List<ScannedSegment> scanned) {
        List<ScannedSegment> closed = new ArrayList<>();
        List<ScannedSegment> open = new ArrayList<>();
        for (ScannedSegment s : scanned) {
            (s.name.kind() == WalSegmentKind.CLOSED ? closed : open).add(s);
        }
        closed.sort(Comparator.comparing((ScannedSegment s) -> s.name.number(), Long::compareUnsigned));
        open.sort(Comparator.comparing((ScannedSegment s) -> s.name.number(), Long::compareUnsigned));

        List<ScannedSegment> ordered = new ArrayList<>(closed);
        ScannedSegment current = null;
        for (ScannedSegment s : open) {
            if (!s.isEmpty()) {
                if (current != null) {
                    ordered.add(current);
                }
                current = s;
            } else if (current == null) {
                current = s;
            }
        }
        if (current != null) {
            ordered.add(current);
        }
        rejectDamage(ordered);

        List<Placed> placed = new ArrayList<>();
        long next = closed.isEmpty() ? 0 : closed.get(0).name.number();
        for (ScannedSegment s : ordered) {
            if (s.name.kind() == WalSegmentKind.CLOSED) {
                long start = s.name.number();
                if (Long.compareUnsigned(start, next) < 0) {
                    throw new EdgeFormatException(s.file, "closed WAL segment starting at entry "
                            + Long.toUnsignedString(start) + " overlaps the previous segment, which ends before entry "
                            + Long.toUnsignedString(next));
                }
                if (Long.compareUnsigned(start, next) > 0) {
                    throw new EdgeFormatException(walDir, "missing WAL segment(s) containing entries "
                            + Long.toUnsignedString(next) + " to " + Long.toUnsignedString(start));
                }
            }
            placed.add(new Placed(s, next));
            next += s.entryCount();
        }
        return placed;
    }

    /**
     * A bad entry is the normal end of the WAL only if it is a torn last write: nothing may follow it,
     * neither in its own segment nor in a later one.
     */
    private static void rejectDamage(List<ScannedSegment> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            ScannedSegment s = ordered.get(i);
            if (s.end == ScannedSegment.End.DAMAGED) {
                throw corrupt(s, s.endDetail);
            }
            if (s.end == ScannedSegment.End.TORN) {
                for (int j = i + 1; j < ordered.size(); j++) {
                    if (!ordered.get(j).isEmpty()) {
                        throw corrupt(s, s.endDetail + ", yet later segment " + ordered.get(j).file.getFileName()
                                + " holds entries");
                    }
                }
            }
        }
    }

    private static EdgeFormatException corrupt(ScannedSegment s, String detail) {
        return new EdgeFormatException(s.file, "corrupt WAL entry at offset " + s.endOffset + " (after "
                + s.entryCount() + " valid entries): " + detail);
    }

    /** A segment and the WAL index of its first entry. */
    record Placed(ScannedSegment segment, long startIndex) {
        WalSegment info() {
            return segment.place(startIndex);
        }
    }
}
