package dev.qdrantedge.spring.client;

import static dev.qdrantedge.spring.client.Json.tree;
import static dev.qdrantedge.spring.client.QdrantOutboxSinkRoundTripTest.NAMED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qdrantedge.engine.operation.CreateFieldIndex;
import dev.qdrantedge.engine.operation.CreateVectorName;
import dev.qdrantedge.engine.operation.DeleteFieldIndex;
import dev.qdrantedge.engine.operation.DeleteVectorName;
import dev.qdrantedge.engine.sync.DeliveryException;
import dev.qdrantedge.spring.testsupport.FakeQdrantServer;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.grpc.Collections;
import io.qdrant.client.grpc.Points;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Payload-index and vector-name operations reach the server as requests of their own. */
class CollectionOperationsTest {

    private FakeQdrantServer server;
    private QdrantClient client;
    private QdrantOutboxSink sink;

    @BeforeEach
    void start() throws Exception {
        server = FakeQdrantServer.builder("items", NAMED).start();
        client = server.newClient();
        sink = new QdrantOutboxSink(client, QdrantSinkOptions.forCollection("items").withShardKey(7));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void payloadIndexesKeepTheirTypeAndParameters() throws Exception {
        sink.deliver(List.of(
                new CreateFieldIndex("city", Optional.of(tree("{'type': 'keyword', 'is_tenant': true, 'on_disk': false}"))),
                new CreateFieldIndex("body", Optional.of(tree("{'type': 'text', 'tokenizer': 'multilingual',"
                        + " 'min_token_len': 2, 'max_token_len': 10, 'lowercase': true, 'phrase_matching': true,"
                        + " 'stopwords': {'languages': ['english'], 'custom': ['foo']},"
                        + " 'stemmer': {'type': 'snowball', 'language': 'english'}, 'on_disk': null}"))),
                new CreateFieldIndex("when", Optional.of(tree("'datetime'"))),
                new CreateFieldIndex("anything", Optional.empty()),
                new CreateFieldIndex("gone", Optional.of(tree("'uuid'"))),
                new DeleteFieldIndex("gone")));

        Points.CreateFieldIndexCollection city = server.fieldIndexes().get("city");
        assertThat(city.getFieldType()).isEqualTo(Points.FieldType.FieldTypeKeyword);
        assertThat(city.getFieldIndexParams().getKeywordIndexParams().getIsTenant()).isTrue();
        assertThat(city.getFieldIndexParams().getKeywordIndexParams().hasOnDisk()).isTrue();
        assertThat(city.getFieldIndexParams().getKeywordIndexParams().getOnDisk()).isFalse();
        Collections.TextIndexParams body = server.fieldIndexes().get("body").getFieldIndexParams().getTextIndexParams();
        assertThat(body.getTokenizer()).isEqualTo(Collections.TokenizerType.Multilingual);
        assertThat(body.getMinTokenLen()).isEqualTo(2);
        assertThat(body.getMaxTokenLen()).isEqualTo(10);
        assertThat(body.getLowercase()).isTrue();
        assertThat(body.getPhraseMatching()).isTrue();
        assertThat(body.getStopwords().getLanguagesList()).containsExactly("english");
        assertThat(body.getStopwords().getCustomList()).containsExactly("foo");
        assertThat(body.getStemmer().getSnowball().getLanguage()).isEqualTo("english");
        assertThat(body.hasOnDisk()).isFalse();
        assertThat(server.fieldIndexes().get("when").getFieldType()).isEqualTo(Points.FieldType.FieldTypeDatetime);
        assertThat(server.fieldIndexes().get("when").hasFieldIndexParams()).isFalse();
        assertThat(server.fieldIndexes().get("anything").hasFieldType()).isFalse();
        assertThat(server.fieldIndexes()).doesNotContainKey("gone");
        assertThat(server.requests(Points.DeleteFieldIndexCollection.class)).singleElement()
                .satisfies(r -> assertThat(r.getWait()).isTrue());
        assertThat(client.getCollectionInfoAsync("items").get().getPayloadSchemaMap().get("city").getDataType())
                .isEqualTo(Collections.PayloadSchemaType.Keyword);
    }

    @Test
    void anIndexParameterTheProtocolLacksIsAPermanentFailureNamingIt() {
        assertThatThrownBy(() -> sink.deliver(List.of(
                new CreateFieldIndex("n", Optional.of(tree("{'type': 'integer', 'range': true, 'memory': 'disk'}"))))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("field_schema.memory: the integer index parameter 'memory' has no form");
        assertThatThrownBy(() -> sink.deliver(List.of(
                new CreateFieldIndex("n", Optional.of(tree("'vector'"))))))
                .hasMessageContaining("field_schema: unknown payload index type 'vector'");
        assertThat(server.fieldIndexes()).isEmpty();
    }

    @Test
    void vectorNamesAreCreatedAndDeletedWithTheirConfiguration() throws Exception {
        sink.deliver(List.of(
                new CreateVectorName("image", tree("{'dense': {'size': 8, 'distance': 'Dot', 'datatype': 'float16',"
                        + " 'multivector_config': {'comparator': 'max_sim'}}}")),
                new CreateVectorName("bm25", tree("{'sparse': {'modifier': 'idf'}}")),
                new CreateVectorName("old", tree("{'dense': {'size': 2, 'distance': 'Cosine'}}")),
                new DeleteVectorName("old")));

        Points.CreateVectorNameRequest image = server.vectorNames().get("image");
        assertThat(image.getDenseConfig().getSize()).isEqualTo(8);
        assertThat(image.getDenseConfig().getDistance()).isEqualTo(Collections.Distance.Dot);
        assertThat(image.getDenseConfig().getDatatype()).isEqualTo(Collections.Datatype.Float16);
        assertThat(image.getDenseConfig().hasMultivectorConfig()).isTrue();
        assertThat(image.getWait()).isTrue();
        assertThat(image.getOrdering().getType()).isEqualTo(Points.WriteOrderingType.Medium);
        assertThat(server.vectorNames().get("bm25").getSparseConfig().getModifier()).isEqualTo(Collections.Modifier.Idf);
        assertThat(server.vectorNames()).containsOnlyKeys("image", "bm25");
    }

    @Test
    void aVectorConfigurationTheProtocolLacksIsAPermanentFailureNamingIt() {
        assertThatThrownBy(() -> sink.deliver(List.of(
                new CreateVectorName("q", tree("{'dense': {'size': 8, 'distance': 'Dot', 'datatype': 'turbo4'}}")))))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("config.dense.datatype: expected float32, float16 or uint8");
        assertThatThrownBy(() -> sink.deliver(List.of(new CreateVectorName("q", tree("{'colbert': {}}")))))
                .hasMessageContaining("config: expected {\"dense\": {...}} or {\"sparse\": {...}}");
        assertThat(server.vectorNames()).isEmpty();
    }
}
