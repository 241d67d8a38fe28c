package dev.qdrantedge.engine.facet;

import java.util.List;

/** Facet hits, most frequent first; equal counts by ascending value. */
public record FacetResponse(List<FacetHit> hits) {

    public FacetResponse {
        hits = List.copyOf(hits);
    }
}
