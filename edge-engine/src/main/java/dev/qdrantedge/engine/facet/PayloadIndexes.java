package dev.qdrantedge.engine.facet;

import dev.qdrantedge.engine.filter.FieldIndex;
import dev.qdrantedge.engine.filter.FieldIndexes;
import dev.qdrantedge.engine.filter.JsonPath;
import java.util.List;
import java.util.Optional;

/** Which payload index of a shard's segments a facet counts with. */
public final class PayloadIndexes {

    private PayloadIndexes() {
    }

    /**
     * The facetable index on {@code key} in any of the segments' indexes, or empty when no segment has one (a
     * keyword, uuid or bool index, or an integer index with its lookup map).
     */
    public static Optional<FacetIndexKind> facetIndex(List<FieldIndexes> segments, JsonPath key) {
        for (FieldIndexes indexes : segments) {
            for (FieldIndex index : indexes.get(key)) {
                if (index instanceof FieldIndex.Keyword) {
                    return Optional.of(FacetIndexKind.KEYWORD);
                }
                if (index instanceof FieldIndex.IntegerLookup) {
                    return Optional.of(FacetIndexKind.INTEGER);
                }
                if (index instanceof FieldIndex.Uuid) {
                    return Optional.of(FacetIndexKind.UUID);
                }
                if (index instanceof FieldIndex.Bool) {
                    return Optional.of(FacetIndexKind.BOOL);
                }
            }
        }
        return Optional.empty();
    }
}
