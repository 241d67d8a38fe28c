package dev.qdrantedge.engine.facet;

import dev.qdrantedge.engine.EdgeException;
import dev.qdrantedge.engine.filter.FilterParser;
import dev.qdrantedge.engine.search.FilteredScan;
import dev.qdrantedge.engine.search.SearchSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Facet counts as Qdrant Edge computes them: for each value the field's index holds, the number of points
 * matching the filter that have it (a point counts once per distinct value, however often an array repeats
 * it); the {@code limit} largest counts, equal counts by ascending value ({@link FacetValue}). Faceting
 * needs a keyword, integer, uuid or bool index on the field, as in Qdrant; without one it is an error
 * with Qdrant's message.
 *
 * <p>Counts here are always exact. Qdrant Edge counts exactly too, except on fields with more distinct
 * values than {@code max(1000, 10 * limit)} in a segment, where it samples candidate values first.
 */
public final class Facets {

    private Facets() {
    }

    /** Thrown when the field has no index Qdrant can facet on. */
    public static final class MissingIndexException extends EdgeException {
        private static final long serialVersionUID = 1L;

        MissingIndexException(String key) {
            super("No appropriate index for faceting: `" + key + "`. Please create one to facet on this field. "
                    + "Check https://qdrant.tech/documentation/concepts/indexing/#payload-index to see which "
                    + "payload schemas support Match conditions");
        }
    }

    /** Counts {@code request.key()}, indexed as {@code kind} ({@code null}: not indexed, an error). */
    public static FacetResponse facet(SearchSource source, FacetRequest request, FacetIndexKind kind) {
        if (kind == null) {
            throw new MissingIndexException(request.key().toString());
        }
        List<Map<FacetValue, long[]>> partial = FilteredScan.scan(source, request.filter(), HashMap::new,
                (counts, part, pos) -> {
                    for (FacetValue value : values(kind, request, part.payload(pos))) {
                        counts.computeIfAbsent(value, v -> new long[1])[0]++;
                    }
                });
        Map<FacetValue, Long> merged = new HashMap<>();
        for (Map<FacetValue, long[]> counts : partial) {
            counts.forEach((value, n) -> merged.merge(value, n[0], Long::sum));
        }
        List<FacetHit> hits = new ArrayList<>(merged.size());
        merged.forEach((value, count) -> hits.add(new FacetHit(value, count)));
        hits.sort((a, b) -> a.count() != b.count() ? Long.compare(b.count(), a.count())
                : a.value().compareTo(b.value()));
        return new FacetResponse(hits.subList(0, Math.min(request.limit(), hits.size())));
    }

    /** The distinct values of the field in one payload that an index of {@code kind} holds. */
    static Set<FacetValue> values(FacetIndexKind kind, FacetRequest request, JsonNode payload) {
        Set<FacetValue> out = new HashSet<>();
        for (JsonNode value : request.key().values(payload)) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    add(kind, element, out);
                }
            } else {
                add(kind, value, out);
            }
        }
        return out;
    }

    private static void add(FacetIndexKind kind, JsonNode v, Set<FacetValue> out) {
        switch (kind) {
            case KEYWORD:
                if (v.isString()) {
                    out.add(new FacetValue.Keyword(v.asString()));
                }
                break;
            case INTEGER:
                Long n = dev.qdrantedge.engine.filter.FieldIndex.integerValue(v);
                if (n != null) {
                    out.add(new FacetValue.Int(n));
                }
                break;
            case UUID:
                if (v.isString()) {
                    UUID uuid = FilterParser.uuid(v.asString());
                    if (uuid != null) {
                        out.add(new FacetValue.Uuid(uuid));
                    }
                }
                break;
            default:
                if (v.isBoolean()) {
                    out.add(new FacetValue.Bool(v.booleanValue()));
                }
        }
    }
}
