package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Random operations of the crash test, each one different from every other one ever generated (so that the
 * operations the server received can be matched with those the store accepted): payloads carry a unique
 * serial, deletes name a unique id no point has, filters exclude such an id, payload deletes name a unique
 * key no point has. None of these change what the operation does.
 */
final class UniqueOperations {

    private final RandomOperations random;
    private final Random choice;
    private final long unique;
    private long serial;

    /** @param seed distinct for every generator whose operations must differ */
    UniqueOperations(long seed) {
        this.random = new RandomOperations(seed, 40);
        this.choice = new Random(seed);
        this.unique = 1_000_000_000L + seed * 1_000_000L;
    }

    private long nextUnique() {
        return unique + ++serial;
    }

    private ObjectNode payload() {
        return random.payload().put("unique", nextUnique());
    }

    private JsonNode filter() {
        ObjectNode filter = (ObjectNode) random.filter();
        filter.putArray("must_not").addObject().putArray("has_id").add(nextUnique());
        return filter;
    }

    private List<PointStruct> points() {
        List<PointStruct> points = new ArrayList<>();
        for (PointId id : random.ids(3)) {
            PointStruct p = random.point(((PointId.Num) id).value());
            points.add(new PointStruct(p.id(), p.vectors(), Optional.of(payload())));
        }
        return points;
    }

    UpdateOperation next() {
        switch (choice.nextInt(14)) {
            case 0, 1, 2, 3:
                return new UpsertPoints(points());
            case 4:
                return new ConditionalUpsertPoints(points(), choice.nextBoolean() ? filter() : SyncTestSupport.json("{}"),
                        UpdateMode.values()[choice.nextInt(3)]);
            case 5, 6: {
                List<PointId> ids = new ArrayList<>(random.ids(3));
                ids.add(PointId.of(nextUnique()));
                return new DeletePoints(ids);
            }
            case 7:
                return new DeletePointsByFilter(filter());
            case 8:
                return new SetPayload(payload(), Optional.of(random.ids(2)), Optional.empty(), Optional.empty());
            case 9:
                return new SetPayload(payload(), Optional.empty(), Optional.of(filter()), Optional.empty());
            case 10:
                return new OverwritePayload(payload(), Optional.of(random.ids(2)), Optional.empty(), Optional.empty());
            case 11:
                return new DeletePayload(List.of("tag", "missing-" + nextUnique()), Optional.of(random.ids(2)),
                        Optional.empty());
            case 12: {
                List<PointVectors> points = new ArrayList<>();
                for (PointId id : random.ids(2)) {
                    points.add(new PointVectors(id, Map.of("", random.vector(4))));
                }
                return new UpdateVectors(points, Optional.empty());
            }
            default:
                return choice.nextBoolean() ? new ClearPayloadByFilter(filter())
                        : new DeleteVectorsByFilter(filter(), List.of("w"));
        }
    }
}
