package dev.qdrantedge.engine.shard;

import dev.qdrantedge.engine.idtracker.PointId;
import java.util.List;

/**
 * One page of a scroll: points in id order, and the id to pass as offset for the next page ({@code null}
 * after the last page).
 */
public record ScrollPage(List<Record> points, PointId nextOffset) {
}
