package dev.qdrantedge.spring.sync;

import dev.qdrantedge.engine.EdgeOperations;
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
import dev.qdrantedge.engine.shard.Record;
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
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deterministic mixed point operations over a few hundred point ids (every fifth one a UUID), for the
 * {@link SyncFixtures#config()} collection: upserts (plain and conditional), deletes by ids and by filter,
 * set, overwrite, delete and clear payload, update and delete vectors, by ids and by filter.
 *
 * <p>Operations on listed points name only points {@code view} holds (so that the store accepts them); the
 * same seed over the same view gives the same operations.
 *
 * <p>Every operation carries its number {@code n} where a server sees it, without changing its effect (see
 * {@link OperationMarks}): upserted, set and overwritten payloads hold {@code "op": n}; deletes by ids also
 * name the id {@link #marker(long) marker(n)}, which no point has; every filter and vector-update condition
 * excludes that id ({@code must_not has_id}); payload deletes also delete the key {@code gone<n>}, which no
 * point has. Clearing payload and deleting vectors by ids cannot carry a number (naming a missing point fails
 * them): {@code withUnmarkedShapes(false)} replaces them by their filter forms.
 */
final class MixedOperations {

    /** Marker ids are this plus an operation number: far beyond the ids of points. */
    static final long MARKER_BASE = 1L << 40;

    private final Random random;
    private final int pointIds;
    private final EdgeOperations view;
    private boolean unmarkedShapes = true;

    /**
     * @param pointIds operations name points 1 to {@code pointIds} (as {@link #pointId(long)} maps them)
     * @param view where the points an operation may name are looked up
     */
    MixedOperations(long seed, int pointIds, EdgeOperations view) {
        this.random = new Random(seed);
        this.pointIds = pointIds;
        this.view = view;
    }

    /** Whether clear payload and delete vectors by ids, which carry no operation number, are generated. */
    MixedOperations withUnmarkedShapes(boolean generate) {
        this.unmarkedShapes = generate;
        return this;
    }

    /** The id no point has that operation {@code n} names. */
    static PointId marker(long n) {
        return PointId.of(MARKER_BASE + n);
    }

    /** The {@code k}-th point id: a number, or for every fifth a UUID. */
    static PointId pointId(long k) {
        return k % 5 == 0 ? PointId.of(new UUID(0x5eedL, k)) : PointId.of(k);
    }

    /** Operation number {@code n}. */
    UpdateOperation next(long n) {
        int kind = random.nextInt(20);
        switch (kind) {
            case 0, 1, 2, 3, 4:
                return new UpsertPoints(points(n, anyIds(3)));
            case 5: {
                JsonNode condition = random.nextBoolean() ? filter(n, false) : noneExcept(n);
                return new ConditionalUpsertPoints(points(n, anyIds(3)), condition,
                        UpdateMode.values()[random.nextInt(UpdateMode.values().length)]);
            }
            case 6, 7: {
                List<PointId> ids = new ArrayList<>(anyIds(3));
                ids.add(marker(n));
                return new DeletePoints(ids);
            }
            case 8:
                return new DeletePointsByFilter(filter(n, true));
            case 9, 10: {
                List<PointId> ids = existingIds(2);
                if (ids.isEmpty()) {
                    return new UpsertPoints(points(n, anyIds(2)));
                }
                Optional<String> key = random.nextInt(4) == 0 ? Optional.of("nested") : Optional.empty();
                return new SetPayload(payload(n), Optional.of(ids), Optional.empty(), key);
            }
            case 11:
                return new SetPayload(payload(n), Optional.empty(), Optional.of(filter(n, false)), Optional.empty());
            case 12, 13: {
                List<PointId> ids = existingIds(2);
                boolean byFilter = ids.isEmpty() || kind == 13;
                return new OverwritePayload(payload(n), byFilter ? Optional.empty() : Optional.of(ids),
                        byFilter ? Optional.of(filter(n, false)) : Optional.empty(), Optional.empty());
            }
            case 14: {
                List<String> keys = List.of(random.nextBoolean() ? "tag" : "nested.k", "gone" + n);
                List<PointId> ids = existingIds(2);
                return ids.isEmpty() || random.nextBoolean()
                        ? new DeletePayload(keys, Optional.empty(), Optional.of(filter(n, false)))
                        : new DeletePayload(keys, Optional.of(ids), Optional.empty());
            }
            case 15: {
                List<PointId> ids = existingIds(2);
                return ids.isEmpty() || !unmarkedShapes || random.nextBoolean()
                        ? new ClearPayloadByFilter(filter(n, true)) : new ClearPayload(ids);
            }
            case 16, 17: {
                List<PointId> ids = existingIds(2);
                if (ids.isEmpty()) {
                    return new UpsertPoints(points(n, anyIds(2)));
                }
                List<PointVectors> points = new ArrayList<>();
                for (PointId id : ids) {
                    points.add(new PointVectors(id, random.nextBoolean() ? Map.of("text", vector(4))
                            : Map.of("w", vector(2))));
                }
                return new UpdateVectors(points, Optional.of(random.nextBoolean() ? filter(n, false) : noneExcept(n)));
            }
            case 18: {
                List<PointId> ids = existingIds(2);
                return ids.isEmpty() || !unmarkedShapes || random.nextBoolean()
                        ? new DeleteVectorsByFilter(filter(n, true), List.of("w"))
                        : new DeleteVectors(ids, List.of("w"));
            }
            default:
                return new UpsertPoints(points(n, anyIds(1)));
        }
    }

    private List<PointStruct> points(long n, List<PointId> ids) {
        List<PointStruct> points = new ArrayList<>();
        for (PointId id : ids) {
            Map<String, VectorValue> vectors = new LinkedHashMap<>();
            vectors.put("text", vector(4));
            if (random.nextInt(4) != 0) {
                vectors.put("w", vector(2));
            }
            points.add(new PointStruct(id, vectors, Optional.of(payload(n))));
        }
        return points;
    }

    /** A payload with the operation's number, a {@code level} (0-99) and a {@code tag} (a, b or c) for filters. */
    private ObjectNode payload(long n) {
        ObjectNode payload = SyncFixtures.JSON.createObjectNode();
        payload.put("op", n);
        payload.put("level", random.nextInt(100));
        payload.put("tag", String.valueOf((char) ('a' + random.nextInt(3))));
        if (random.nextBoolean()) {
            payload.putObject("nested").put("k", random.nextInt(5));
        }
        if (random.nextInt(3) == 0) {
            payload.put("score", Math.round(random.nextDouble() * 1000) / 8.0);
        }
        if (random.nextInt(4) == 0) {
            ArrayNode labels = payload.putArray("labels");
            for (int i = random.nextInt(3); i >= 0; i--) {
                labels.add("l" + random.nextInt(10));
            }
        }
        return payload;
    }

    private DenseVector vector(int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = Math.round(random.nextGaussian() * 1000) / 1000f;
        }
        return new DenseVector(v);
    }

    /**
     * A filter on {@code level} and {@code tag} that excludes the operation's marker; {@code narrow} for
     * deletes and clears, so that the points do not run out.
     */
    private JsonNode filter(long n, boolean narrow) {
        ObjectNode filter = SyncFixtures.JSON.createObjectNode();
        ArrayNode must = filter.putArray("must");
        int from = random.nextInt(100);
        int width = narrow ? 2 + random.nextInt(5) : 5 + random.nextInt(20);
        if (narrow || random.nextBoolean()) {
            must.addObject().put("key", "tag").putObject("match").put("value",
                    String.valueOf((char) ('a' + random.nextInt(3))));
        }
        must.addObject().put("key", "level").putObject("range").put("gte", from).put("lt", from + width);
        filter.putArray("must_not").addObject().putArray("has_id").add(MARKER_BASE + n);
        return filter;
    }

    /** A condition every point meets, naming the operation's marker. */
    private static JsonNode noneExcept(long n) {
        ObjectNode filter = SyncFixtures.JSON.createObjectNode();
        filter.putArray("must_not").addObject().putArray("has_id").add(MARKER_BASE + n);
        return filter;
    }

    /** 1 to {@code max} distinct random point ids. */
    private List<PointId> anyIds(int max) {
        Set<PointId> ids = new LinkedHashSet<>();
        int count = 1 + random.nextInt(max);
        while (ids.size() < count) {
            ids.add(pointId(1 + random.nextInt(pointIds)));
        }
        return new ArrayList<>(ids);
    }

    /** Those of 1 to {@code max} random point ids that {@code view} holds, possibly none. */
    private List<PointId> existingIds(int max) {
        List<PointId> existing = new ArrayList<>();
        for (Record r : view.retrieve(anyIds(max), false, false)) {
            existing.add(r.id());
        }
        return existing;
    }
}
