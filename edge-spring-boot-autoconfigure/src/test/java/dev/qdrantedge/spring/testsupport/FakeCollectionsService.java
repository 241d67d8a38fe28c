package dev.qdrantedge.spring.testsupport;

import dev.qdrantedge.engine.config.EdgeConfig;
import dev.qdrantedge.engine.config.SparseVectorParams;
import dev.qdrantedge.engine.config.VectorParams;
import dev.qdrantedge.engine.shard.ShardInfo;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.CollectionsGrpc;
import io.qdrant.client.grpc.Points;
import java.util.Map;

/** What Qdrant's {@code Collections} service tells about the fake's one collection. */
final class FakeCollectionsService extends CollectionsGrpc.CollectionsImplBase {

    private final FakeQdrantServer server;

    FakeCollectionsService(FakeQdrantServer server) {
        this.server = server;
    }

    @Override
    public void get(Collections.GetCollectionInfoRequest request,
            StreamObserver<Collections.GetCollectionInfoResponse> observer) {
        server.unary(request, observer, true, r -> {
            server.requireCollection(r.getCollectionName());
            return Collections.GetCollectionInfoResponse.newBuilder().setResult(info()).build();
        });
    }

    @Override
    public void collectionExists(Collections.CollectionExistsRequest request,
            StreamObserver<Collections.CollectionExistsResponse> observer) {
        server.unary(request, observer, true, r -> Collections.CollectionExistsResponse.newBuilder()
                .setResult(Collections.CollectionExists.newBuilder()
                        .setExists(server.collectionName().equals(r.getCollectionName())))
                .build());
    }

    @Override
    public void list(Collections.ListCollectionsRequest request,
            StreamObserver<Collections.ListCollectionsResponse> observer) {
        server.unary(request, observer, true, r -> Collections.ListCollectionsResponse.newBuilder()
                .addCollections(Collections.CollectionDescription.newBuilder().setName(server.collectionName()))
                .build());
    }

    private Collections.CollectionInfo info() {
        ShardInfo shard = server.shard().info();
        EdgeConfig config = shard.config();
        Collections.VectorsConfig.Builder vectors = Collections.VectorsConfig.newBuilder();
        if (config.vectors().size() == 1 && config.vectors().containsKey("")) {
            vectors.setParams(params(config.vectors().get("")));
        } else {
            Collections.VectorParamsMap.Builder map = Collections.VectorParamsMap.newBuilder();
            config.vectors().forEach((name, params) -> map.putMap(name, params(params)));
            vectors.setParamsMap(map);
        }
        Collections.SparseVectorConfig.Builder sparse = Collections.SparseVectorConfig.newBuilder();
        for (Map.Entry<String, SparseVectorParams> e : config.sparseVectors().entrySet()) {
            sparse.putMap(e.getKey(), Collections.SparseVectorParams.newBuilder()
                    .setModifier(e.getValue().idf() ? Collections.Modifier.Idf : Collections.Modifier.None).build());
        }
        Collections.CollectionInfo.Builder info = Collections.CollectionInfo.newBuilder()
                .setStatus(Collections.CollectionStatus.Green)
                .setOptimizerStatus(Collections.OptimizerStatus.newBuilder().setOk(true))
                .setSegmentsCount(shard.segmentsCount())
                .setPointsCount(shard.pointsCount())
                .setIndexedVectorsCount(shard.indexedVectorsCount())
                .setConfig(Collections.CollectionConfig.newBuilder()
                        .setParams(Collections.CollectionParams.newBuilder()
                                .setShardNumber(1)
                                .setOnDiskPayload(config.effectiveOnDiskPayload())
                                .setVectorsConfig(vectors)
                                .setSparseVectorsConfig(sparse)));
        for (Map.Entry<String, Points.CreateFieldIndexCollection> e : server.fieldIndexesUnderLock().entrySet()) {
            info.putPayloadSchema(e.getKey(), Collections.PayloadSchemaInfo.newBuilder()
                    .setDataType(schemaType(e.getValue().getFieldType())).build());
        }
        return info.build();
    }

    private static Collections.VectorParams params(VectorParams p) {
        Collections.VectorParams.Builder b = Collections.VectorParams.newBuilder()
                .setSize(p.size())
                .setDistance(Collections.Distance.valueOf(p.distance().jsonName()))
                .setDatatype(datatype(p.datatype().jsonName()));
        if (p.multivector()) {
            b.setMultivectorConfig(Collections.MultiVectorConfig.newBuilder()
                    .setComparator(Collections.MultiVectorComparator.MaxSim));
        }
        return b.build();
    }

    private static Collections.Datatype datatype(String datatype) {
        switch (datatype) {
            case "float16":
                return Collections.Datatype.Float16;
            case "uint8":
                return Collections.Datatype.Uint8;
            default:
                return Collections.Datatype.Float32;
        }
    }

    private static Collections.PayloadSchemaType schemaType(Points.FieldType type) {
        switch (type) {
            case FieldTypeKeyword:
                return Collections.PayloadSchemaType.Keyword;
            case FieldTypeInteger:
                return Collections.PayloadSchemaType.Integer;
            case FieldTypeFloat:
                return Collections.PayloadSchemaType.Float;
            case FieldTypeGeo:
                return Collections.PayloadSchemaType.Geo;
            case FieldTypeText:
                return Collections.PayloadSchemaType.Text;
            case FieldTypeBool:
                return Collections.PayloadSchemaType.Bool;
            case FieldTypeDatetime:
                return Collections.PayloadSchemaType.Datetime;
            case FieldTypeUuid:
                return Collections.PayloadSchemaType.Uuid;
            default:
                return Collections.PayloadSchemaType.UnknownType;
        }
    }
}
