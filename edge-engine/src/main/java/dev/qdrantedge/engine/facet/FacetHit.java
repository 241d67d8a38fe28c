package dev.qdrantedge.engine.facet;

/** A value and the number of points (matching the facet's filter) that have it. */
public record FacetHit(FacetValue value, long count) {
}
