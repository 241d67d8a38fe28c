package dev.qdrantedge.engine.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qdrantedge.engine.compat.ReferenceEngine;
import dev.qdrantedge.engine.compat.ReferenceShard;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.shard.EdgeShard;
import dev.qdrantedge.engine.shard.Record;
import dev.qdrantedge.engine.shard.ScrollPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every filter of the {@code filter-*} scenarios, evaluated over every point of the shard the reference
 * engine built, selects exactly the points the reference engine's {@code scroll}/{@code count} selected.
 */
class FilterReferenceCompatTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"filter-edge", "filter-rich"})
    void everyFilterSelectsTheReferenceEnginesPoints(String scenario) throws IOException {
        ReferenceShard reference = ReferenceEngine.require().build(scenario);
        JsonNode expected = JSON.readTree(Files.readAllBytes(reference.referenceDir().resolve("filters.json")));
        List<Record> points = new ArrayList<>();
        try (EdgeShard shard = EdgeShard.openReadOnly(reference.copyTo(temp.resolve(scenario)))) {
            PointId offset = null;
            do {
                ScrollPage page = shard.scroll(offset, 100, true, true);
                points.addAll(page.points());
                offset = page.nextOffset();
            } while (offset != null);
        }
        assertThat(points).isNotEmpty();

        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonNode entry = expected.get(i);
            Filter filter = FilterParser.parse(entry.get("filter"), "filters[" + i + "]");
            List<PointId> want = new ArrayList<>();
            for (JsonNode id : entry.get("ids")) {
                want.add(id.isNumber() ? PointId.of(id.longValue()) : PointId.parse(id.asString()));
            }
            List<PointId> got = new ArrayList<>();
            for (Record r : points) {
                if (FilterEvaluator.matches(filter, view(r))) {
                    got.add(r.id());
                }
            }
            if (!got.equals(want)) {
                mismatches.add("filters[" + i + "] " + entry.get("filter") + "\n  reference: " + want
                        + "\n  java:      " + got);
            }
        }
        assertThat(mismatches).as("%d filters of %s", expected.size(), scenario).isEmpty();
        assertThat(expected.size()).isGreaterThan(20);
    }

    static PointView view(Record r) {
        return new PointView() {
            @Override
            public PointId id() {
                return r.id();
            }

            @Override
            public JsonNode payload() {
                return r.payload();
            }

            @Override
            public boolean hasVector(String name) {
                return r.vectors().containsKey(name);
            }
        };
    }
}
