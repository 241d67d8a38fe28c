package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.filter.FieldIndexes;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.index.hnsw.HnswGraph;
import dev.qdrantedge.engine.vectors.DenseVectorBlocks;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * One part of a {@link SearchSource}: positions {@code 0 .. size() - 1} in the order Qdrant scans them
 * (a segment's internal ids). Only {@linkplain #isCurrent current} positions are search candidates; the
 * others are deleted points or copies superseded elsewhere. Implementations must allow concurrent reads.
 */
public interface SearchPart {

    /** Positions are {@code 0 .. size() - 1}. */
    int size();

    /** Whether the position holds the current copy of a live point. */
    boolean isCurrent(int position);

    PointId id(int position);

    long version(int position);

    /** The point's payload (an empty object when it has none); callers do not modify it. */
    ObjectNode payload(int position);

    /** All the point's vectors by name. */
    Map<String, VectorValue> vectors(int position);

    /** The point's vector named {@code name}, or {@code null} when it has none. */
    VectorValue vector(int position, String name);

    /** The payload field indexes that decide filters on this part's points (a segment's own). */
    default FieldIndexes fieldIndexes() {
        return FieldIndexes.NONE;
    }

    /**
     * The positions that are {@linkplain #isCurrent current} and have a dense vector named {@code name}, where
     * the part keeps them (a scan then tests one bit per position); {@code null} otherwise. Not to be modified.
     */
    default java.util.BitSet denseCandidates(String name) {
        return null;
    }

    /**
     * The HNSW graph Qdrant built over this part's dense vector {@code name} (positions are its nodes), or
     * {@code null} when the part has none: search then scans.
     */
    default HnswGraph hnswGraph(String name) {
        return null;
    }

    /** Whether the point has a vector named {@code name}. */
    default boolean hasVector(int position, String name) {
        return vector(position, name) != null;
    }

    /**
     * Bulk access to the dense vector {@code name} in the order of positions, or {@code null} where the part
     * has no such storage (search then reads vectors one by one through {@link #vector}).
     */
    default DenseVectorBlocks denseBlocks(String name) {
        return null;
    }

    /**
     * Hands every sparse vector of {@code name} that this part's sparse index holds to {@code action}, for
     * the IDF statistics: the document count and each dimension's document frequency.
     */
    void forEachIndexedSparse(String name, Consumer<SparseVector> action);
}
