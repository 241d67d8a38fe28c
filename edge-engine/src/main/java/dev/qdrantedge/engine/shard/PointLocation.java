package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.segment.Segment;

/** Where the winning copy of a point lives: its segment, internal id and version. */
record PointLocation(Segment segment, int internalId, long version) {
}
