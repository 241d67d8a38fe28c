package dev.qdrantedge.spring.client;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.operation.PointStruct;
import dev.qdrantedge.engine.operation.UpsertPoints;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.engine.vectors.DenseVector;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A process of its own that delivers one upsert to a Qdrant server given by host and port, as an application
 * would: {@code host port collection pointId}. Prints {@code DELIVERED} and exits 0, or prints the failure's kind
 * and exits 2.
 */
public final class ChildProcessDelivery {

    private ChildProcessDelivery() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        try (QdrantClient client = new QdrantClient(QdrantGrpcClient.newBuilder(host, port, false).build())) {
            QdrantOutboxSink sink = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection(args[2]));
            sink.deliver(List.of(new UpsertPoints(List.of(new PointStruct(PointId.of(Long.parseLong(args[3])),
                    Map.of("", new DenseVector(new float[] {1f, 2f})),
                    Optional.of(Json.object("{'from': 'child'}")))))));
            System.out.println("DELIVERED");
        } catch (DeliveryException e) {
            System.out.println(e.kind() + " " + e.getMessage());
            System.exit(2);
        }
    }
}
