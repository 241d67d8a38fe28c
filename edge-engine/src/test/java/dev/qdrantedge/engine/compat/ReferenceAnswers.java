package dev.qdrantedge.engine.compat;

import dev.qdrantedge.engine.idtracker.PointId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The reference engine's answers about one shard, as {@code compat/edge_reference.py} writes them. */
public final class ReferenceAnswers {

    private final Path directory;

    ReferenceAnswers(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** Every live point (id, vectors by name, payload), sorted by id. */
    public JsonNode points() {
        return json("points.json");
    }

    public List<PointId> pointIds() {
        List<PointId> ids = new ArrayList<>();
        for (JsonNode point : points()) {
            ids.add(toPointId(point.get("id")));
        }
        return ids;
    }

    public long count() {
        return json("count.json").get("count").asLong();
    }

    public JsonNode info() {
        return json("info.json");
    }

    public JsonNode manifest() {
        return json("manifest.json");
    }

    public JsonNode scroll() {
        return json("scroll.json");
    }

    public JsonNode search() {
        return json("search.json");
    }

    public JsonNode json(String file) {
        return ReferenceEngine.readJson(directory.resolve(file));
    }

    public static PointId toPointId(JsonNode id) {
        return id.isNumber() ? PointId.of(id.bigIntegerValue().longValue()) : PointId.parse(id.asString());
    }
}
