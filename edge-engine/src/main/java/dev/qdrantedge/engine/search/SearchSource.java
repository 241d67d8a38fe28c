package dev.qdrantedge.engine.search;

import java.util.List;

/**
 * What an exact search scans: the parts of a shard (its segments, and the points only the WAL holds), in
 * the order Qdrant visits its segments. Together the parts' current positions hold every live point once.
 */
public interface SearchSource {

    List<? extends SearchPart> parts();
}
