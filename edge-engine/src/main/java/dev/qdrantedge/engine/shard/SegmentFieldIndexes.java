package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.filter.FieldIndexes;
import dev.qdrantedge.engine.payload.PayloadIndexConfig;
import dev.qdrantedge.engine.segment.Segment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The payload field indexes filters consult for each point of a shard: those of the segment holding it
 * ({@code payload_index/config.json}, read once per segment); for a point only WAL replay holds, those of the
 * shard's first appendable segment, where Qdrant would have applied it. Thread-safe.
 */
final class SegmentFieldIndexes {

    private final List<Segment> segments;
    private final Map<Segment, FieldIndexes> bySegment = new ConcurrentHashMap<>();

    SegmentFieldIndexes(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** The indexes of {@code segment}. */
    FieldIndexes of(Segment segment) {
        return bySegment.computeIfAbsent(segment, s -> PayloadIndexConfig.read(s.directory()));
    }

    /** The indexes that decide filters on {@code point}. */
    FieldIndexes of(StoredPoint point) {
        if (point instanceof StoredPoint.InSegment in) {
            return of(in.segment());
        }
        return forReplayed();
    }

    /** The indexes of the first appendable segment, or none. */
    FieldIndexes forReplayed() {
        for (Segment segment : segments) {
            if (segment.appendable()) {
                return of(segment);
            }
        }
        return FieldIndexes.NONE;
    }
}
