package dev.qdrantedge.spring.client;

import com.google.protobuf.Message;
import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.ClearPayload;
import dev.qdrantedge.engine.operation.ClearPayloadByFilter;
import dev.qdrantedge.engine.operation.ConditionalUpsertPoints;
import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.CreateVectorName;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeletePayload;
import dev.qdrantedge.engine.operation.DeletePoints;
import dev.qdrantedge.engine.operation.DeletePointsByFilter;
import dev.qdrantedge.engine.operation.DeleteVectorName;
import dev.qdrantedge.engine.operation.DeleteVectors;
import dev.qdrantedge.engine.operation.DeleteVectorsByFilter;
import dev.qdrantedge.engine.operation.OverwritePayload;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.PointVectors;
import dev.qdrantedge.engine.operation.SetPayload;
import dev.qdrantedge.engine.operation.SyncPoints;
import dev.qdrantedge.engine.operation.UpdateMode;
import dev.qdrantedge.engine.operation.UpdateOperation;
import dev.qdrantedge.engine.operation.UpdateVectors;
import dev.qdrantedge.engine.operation.UpsertPoints;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Points;
import io.qdrant.client.grpc.Points.PointsUpdateOperation;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Maps engine operations to gRPC. Point operations become {@link PointsUpdateOperation}s, which an
 * {@code UpdateBatch} request carries (each with the configured shard key selector); payload-index and
 * vector-name operations have no batch form and become requests of their own (with {@code wait=true} and the
 * configured ordering). {@code sync_points} (a server-internal shard transfer operation) has no public form.
 *
 * <p>Points are selected as Qdrant's shards select them: when a payload operation names both ids and a
 * filter, the ids decide and the filter is not sent.
 */
final class GrpcOperationMapper {

    /** An operation in gRPC form. */
    sealed interface Mapped permits Batchable, Standalone {
    }

    /** A point operation, sent within an {@code UpdateBatch} request. */
    record Batchable(PointsUpdateOperation operation) implements Mapped {
    }

    /**
     * A request of its own: {@code CreateFieldIndexCollection}, {@code DeleteFieldIndexCollection},
     * {@code CreateVectorNameRequest} or {@code DeleteVectorNameRequest}.
     */
    record Standalone(Message request) implements Mapped {
    }

    private final QdrantSinkOptions options;

    GrpcOperationMapper(QdrantSinkOptions options) {
        this.options = options;
    }

    /** @throws GrpcMappingException when the operation (or a part of it) has no gRPC form */
    Mapped map(UpdateOperation op) {
        if (op instanceof UpsertPoints upsert) {
            return batch(PointsUpdateOperation.newBuilder().setUpsert(pointList(upsert.points())));
        }
        if (op instanceof ConditionalUpsertPoints conditional) {
            PointsUpdateOperation.PointStructList.Builder list = pointList(conditional.points());
            Common.Filter condition = GrpcFilterMapper.toGrpc(conditional.condition(), "condition");
            if (!GrpcFilterMapper.isEmpty(condition)) {
                list.setUpdateFilter(condition);
            }
            list.setUpdateMode(updateMode(conditional.updateMode()));
            return batch(PointsUpdateOperation.newBuilder().setUpsert(list));
        }
        if (op instanceof DeletePoints delete) {
            PointsUpdateOperation.DeletePoints.Builder b = PointsUpdateOperation.DeletePoints.newBuilder()
                    .setPoints(ids(delete.ids()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setDeletePoints(b));
        }
        if (op instanceof DeletePointsByFilter delete) {
            PointsUpdateOperation.DeletePoints.Builder b = PointsUpdateOperation.DeletePoints.newBuilder()
                    .setPoints(filter(delete.filter()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setDeletePoints(b));
        }
        if (op instanceof SetPayload set) {
            PointsUpdateOperation.SetPayload.Builder b = PointsUpdateOperation.SetPayload.newBuilder()
                    .putAllPayload(GrpcPayloadMapper.payload(set.payload(), "payload"))
                    .setPointsSelector(selector(op, set.points(), set.filter()));
            set.key().ifPresent(b::setKey);
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setSetPayload(b));
        }
        if (op instanceof OverwritePayload overwrite) {
            PointsUpdateOperation.OverwritePayload.Builder b = PointsUpdateOperation.OverwritePayload.newBuilder()
                    .putAllPayload(GrpcPayloadMapper.payload(overwrite.payload(), "payload"))
                    .setPointsSelector(selector(op, overwrite.points(), overwrite.filter()));
            overwrite.key().ifPresent(b::setKey);
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setOverwritePayload(b));
        }
        if (op instanceof DeletePayload delete) {
            PointsUpdateOperation.DeletePayload.Builder b = PointsUpdateOperation.DeletePayload.newBuilder()
                    .addAllKeys(delete.keys())
                    .setPointsSelector(selector(op, delete.points(), delete.filter()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setDeletePayload(b));
        }
        if (op instanceof ClearPayload clear) {
            PointsUpdateOperation.ClearPayload.Builder b = PointsUpdateOperation.ClearPayload.newBuilder()
                    .setPoints(ids(clear.points()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setClearPayload(b));
        }
        if (op instanceof ClearPayloadByFilter clear) {
            PointsUpdateOperation.ClearPayload.Builder b = PointsUpdateOperation.ClearPayload.newBuilder()
                    .setPoints(filter(clear.filter()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setClearPayload(b));
        }
        if (op instanceof UpdateVectors update) {
            PointsUpdateOperation.UpdateVectors.Builder b = PointsUpdateOperation.UpdateVectors.newBuilder();
            for (PointVectors p : update.points()) {
                b.addPoints(Points.PointVectors.newBuilder().setId(GrpcFilterMapper.pointId(p.id()))
                        .setVectors(GrpcVectorMapper.vectors(p.vectors())));
            }
            Optional<JsonNode> updateFilter = update.updateFilter().filter(f -> !f.isNull() && !f.isMissingNode());
            if (updateFilter.isPresent()) {
                Common.Filter condition = GrpcFilterMapper.toGrpc(updateFilter.get(), "update_filter");
                if (!GrpcFilterMapper.isEmpty(condition)) {
                    b.setUpdateFilter(condition);
                }
            }
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setUpdateVectors(b));
        }
        if (op instanceof DeleteVectors delete) {
            PointsUpdateOperation.DeleteVectors.Builder b = PointsUpdateOperation.DeleteVectors.newBuilder()
                    .setPointsSelector(ids(delete.points()))
                    .setVectors(Points.VectorsSelector.newBuilder().addAllNames(delete.vectorNames()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setDeleteVectors(b));
        }
        if (op instanceof DeleteVectorsByFilter delete) {
            PointsUpdateOperation.DeleteVectors.Builder b = PointsUpdateOperation.DeleteVectors.newBuilder()
                    .setPointsSelector(filter(delete.filter()))
                    .setVectors(Points.VectorsSelector.newBuilder().addAllNames(delete.vectorNames()));
            options.shardKeySelector().ifPresent(b::setShardKeySelector);
            return batch(PointsUpdateOperation.newBuilder().setDeleteVectors(b));
        }
        if (op instanceof CreateFieldIndex create) {
            GrpcSchemaMapper.IndexSchema schema = GrpcSchemaMapper.indexSchema(create.fieldSchema(), "field_schema");
            Points.CreateFieldIndexCollection.Builder b = Points.CreateFieldIndexCollection.newBuilder()
                    .setCollectionName(options.collectionName()).setWait(true)
                    .setFieldName(create.fieldName()).setOrdering(ordering());
            schema.type().ifPresent(b::setFieldType);
            schema.params().ifPresent(b::setFieldIndexParams);
            return new Standalone(b.build());
        }
        if (op instanceof DeleteFieldIndex delete) {
            return new Standalone(Points.DeleteFieldIndexCollection.newBuilder()
                    .setCollectionName(options.collectionName()).setWait(true)
                    .setFieldName(delete.fieldName()).setOrdering(ordering()).build());
        }
        if (op instanceof CreateVectorName create) {
            return new Standalone(GrpcSchemaMapper.vectorConfig(create.config(), "config")
                    .setCollectionName(options.collectionName()).setWait(true)
                    .setVectorName(create.vectorName()).setOrdering(ordering()).build());
        }
        if (op instanceof DeleteVectorName delete) {
            return new Standalone(Points.DeleteVectorNameRequest.newBuilder()
                    .setCollectionName(options.collectionName()).setWait(true)
                    .setVectorName(delete.vectorName()).setOrdering(ordering()).build());
        }
        SyncPoints sync = (SyncPoints) op;
        throw new GrpcMappingException(sync.variant(), "sync_points is Qdrant's internal shard transfer operation;"
                + " its public API has no form of it");
    }

    Points.WriteOrdering ordering() {
        return Points.WriteOrdering.newBuilder().setType(options.ordering()).build();
    }

    private static Batchable batch(PointsUpdateOperation.Builder op) {
        return new Batchable(op.build());
    }

    private PointsUpdateOperation.PointStructList.Builder pointList(List<PointStruct> points) {
        PointsUpdateOperation.PointStructList.Builder list = PointsUpdateOperation.PointStructList.newBuilder();
        for (int i = 0; i < points.size(); i++) {
            PointStruct p = points.get(i);
            Points.PointStruct.Builder b = Points.PointStruct.newBuilder()
                    .setId(GrpcFilterMapper.pointId(p.id()))
                    .setVectors(GrpcVectorMapper.vectors(p.vectors()));
            if (p.payload().isPresent()) {
                b.putAllPayload(GrpcPayloadMapper.payload(p.payload().get(), "points[" + i + "].payload"));
            }
            list.addPoints(b);
        }
        options.shardKeySelector().ifPresent(list::setShardKeySelector);
        return list;
    }

    private static Points.UpdateMode updateMode(UpdateMode mode) {
        switch (mode) {
            case INSERT_ONLY:
                return Points.UpdateMode.InsertOnly;
            case UPDATE_ONLY:
                return Points.UpdateMode.UpdateOnly;
            default:
                return Points.UpdateMode.Upsert;
        }
    }

    private static Points.PointsSelector ids(List<PointId> ids) {
        Points.PointsIdsList.Builder list = Points.PointsIdsList.newBuilder();
        for (PointId id : ids) {
            list.addIds(GrpcFilterMapper.pointId(id));
        }
        return Points.PointsSelector.newBuilder().setPoints(list).build();
    }

    private static Points.PointsSelector filter(JsonNode filter) {
        return Points.PointsSelector.newBuilder().setFilter(GrpcFilterMapper.toGrpc(filter, "filter")).build();
    }

    private static Points.PointsSelector selector(UpdateOperation op, Optional<List<PointId>> ids,
            Optional<JsonNode> filter) {
        if (ids.isPresent()) {
            return ids(ids.get());
        }
        if (filter.isPresent() && !filter.get().isNull()) {
            return filter(filter.get());
        }
        throw new GrpcMappingException(op.variant(), "selects neither points nor a filter");
    }
}
