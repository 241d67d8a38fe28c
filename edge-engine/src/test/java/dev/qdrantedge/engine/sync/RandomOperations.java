package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random operations of every kind the store takes, over a small id range so that they keep meeting the same
 * points: upserts (plain and conditional), deletes, payload changes and vector changes, by ids and by filter.
 * Filters look at {@code level} (0 to 99) and {@code tag} ({@code a}, {@code b} or {@code c}).
 */
final class RandomOperations {

    private final Random random;
    private final int maxId;
    private int counter;

    RandomOperations(long seed, int maxId) {
        this.random = new Random(seed);
        this.maxId = maxId;
    }

    /** A point with random vectors and payload. */
    PointStruct point(long id) {
        Map<String, VectorValue> vectors = new LinkedHashMap<>();
        vectors.put("", vector(4));
        if (random.nextInt(4) != 0) {
            vectors.put("w", vector(2));
        }
        return new PointStruct(PointId.of(id), vectors, Optional.of(payload()));
    }

    ObjectNode payload() {
        ObjectNode payload = SyncTestSupport.JSON.createObjectNode();
        payload.put("level", random.nextInt(100));
        payload.put("tag", String.valueOf((char) ('a' + random.nextInt(3))));
        payload.put("serial", ++counter);
        if (random.nextBoolean()) {
            payload.putObject("nested").put("k", random.nextInt(5));
        }
        return payload;
    }

    DenseVector vector(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) (random.nextGaussian());
        }
        return new DenseVector(v);
    }

    JsonNode filter() {
        if (random.nextBoolean()) {
            int from = random.nextInt(100);
            return SyncTestSupport.json("{\"must\":[{\"key\":\"level\",\"range\":{\"gte\":" + from + ",\"lt\":"
                    + (from + 8 + random.nextInt(15)) + "}}]}");
        }
        return SyncTestSupport.json("{\"must\":[{\"key\":\"tag\",\"match\":{\"value\":\"" + (char) ('a' + random.nextInt(3))
                + "\"}},{\"key\":\"level\",\"range\":{\"lt\":" + random.nextInt(60) + "}}]}");
    }

    List<PointId> ids(int max) {
        Set<PointId> ids = new LinkedHashSet<>();
        int n = 1 + random.nextInt(max);
        while (ids.size() < n) {
            ids.add(PointId.of(1 + random.nextInt(maxId)));
        }
        return new ArrayList<>(ids);
    }

    UpdateOperation next() {
        int kind = random.nextInt(20);
        switch (kind) {
            case 0, 1, 2, 3: {
                List<PointStruct> points = new ArrayList<>();
                for (PointId id : ids(3)) {
                    points.add(point(((PointId.Num) id).value()));
                }
                return new UpsertPoints(points);
            }
            case 4: {
                List<PointStruct> points = new ArrayList<>();
                for (PointId id : ids(3)) {
                    points.add(point(((PointId.Num) id).value()));
                }
                UpdateMode mode = UpdateMode.values()[random.nextInt(3)];
                JsonNode condition = random.nextBoolean() ? SyncTestSupport.json("{}") : filter();
                return new ConditionalUpsertPoints(points, condition, mode);
            }
            case 5, 6:
                return new DeletePoints(ids(3));
            case 7:
                return new DeletePointsByFilter(filter());
            case 8:
                return new SetPayload(payload(), Optional.of(ids(2)), Optional.empty(),
                        random.nextInt(4) == 0 ? Optional.of("nested") : Optional.empty());
            case 9:
                return new SetPayload(payload(), Optional.empty(), Optional.of(filter()), Optional.empty());
            case 10:
                return new OverwritePayload(payload(), Optional.of(ids(2)), Optional.empty(), Optional.empty());
            case 11:
                return new OverwritePayload(payload(), Optional.empty(), Optional.of(filter()), Optional.empty());
            case 12:
                return new DeletePayload(List.of(random.nextBoolean() ? "tag" : "nested.k"), Optional.of(ids(2)),
                        Optional.empty());
            case 13:
                return new ClearPayload(ids(2));
            case 14:
                return new ClearPayloadByFilter(filter());
            case 15: {
                List<PointVectors> points = new ArrayList<>();
                for (PointId id : ids(2)) {
                    points.add(new PointVectors(id, Map.of(random.nextBoolean() ? "" : "w",
                            random.nextBoolean() ? vector(4) : vector(2))));
                }
                return fixVectorSizes(points, random.nextInt(3) == 0 ? Optional.of(filter()) : Optional.empty());
            }
            case 16:
                return new DeleteVectors(ids(2), List.of("w"));
            case 17:
                return new DeleteVectorsByFilter(filter(), List.of("w"));
            case 18:
                return new DeletePayload(List.of("level"), Optional.empty(), Optional.of(filter()));
            default:
                return new SetPayload(payload(), Optional.of(ids(1)), Optional.empty(), Optional.empty());
        }
    }

    /** Vectors of the right size for their names. */
    private UpdateVectors fixVectorSizes(List<PointVectors> points, Optional<JsonNode> filter) {
        List<PointVectors> fixed = new ArrayList<>();
        for (PointVectors p : points) {
            String name = p.vectors().keySet().iterator().next();
            fixed.add(new PointVectors(p.id(), Map.of(name, vector(name.isEmpty() ? 4 : 2))));
        }
        return new UpdateVectors(fixed, filter);
    }
}
