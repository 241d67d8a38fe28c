package dev.qdrantedge.demo.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.qdrantedge.demo.Api;
import dev.qdrantedge.demo.Api.Answer;
import dev.qdrantedge.demo.MutableClock;
import dev.qdrantedge.demo.embedding.TextEmbedder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint of the notes API over real HTTP, on a real shard in a temp directory and the real embedding
 * model. Notes get creation times from a clock the test sets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(NotesApiTest.Clocks.class)
class NotesApiTest {

    @TempDir
    static Path temp;

    @DynamicPropertySource
    static void shardPath(DynamicPropertyRegistry registry) {
        registry.add("qdrant.edge.path", () -> temp.resolve("shard").toString());
    }

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        }
    }

    private static final String BREAD_QUESTION = "how to make bread at home";

    @Value("${local.server.port}")
    int port;

    @Autowired
    MutableClock clock;

    @Autowired
    NoteRepository repository;

    @Autowired
    TextEmbedder embedder;

    private Api api;

    @BeforeEach
    void emptyShard() {
        repository.deleteAll();
        api = new Api(port);
    }

    private JsonNode add(String createdAt, String title, String text, String... tags) {
        clock.set(Instant.parse(createdAt));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", title);
        body.put("text", text);
        body.put("tags", List.of(tags));
        Answer answer = api.addNote(body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        return answer.json();
    }

    /** Four notes over March and April 2025; returns their ids: sourdough, tax, pancakes, track. */
    private List<String> addCorpus() {
        List<String> ids = new ArrayList<>();
        ids.add(add("2025-03-01T10:00:00Z", "Sourdough",
                "Feed the starter twice a day and let the dough rise overnight before baking the loaf.", "cooking")
                .get("id").asString());
        ids.add(add("2025-03-10T10:00:00Z", "Tax deadline",
                "The quarterly tax filing is due on the fifteenth; send the receipts to the accountant.", "finance")
                .get("id").asString());
        ids.add(add("2025-03-20T10:00:00Z", "Pancakes",
                "Whisk flour, eggs and milk into a smooth batter and fry thin pancakes in butter.", "cooking")
                .get("id").asString());
        ids.add(add("2025-04-02T08:30:00Z", "Track intervals", "Six fast laps, one slow lap, then stretch the calves.",
                "sport").get("id").asString());
        return ids;
    }

    private static List<String> ids(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : answer.json()) {
            ids.add(hit.has("note") ? hit.get("note").get("id").asString() : hit.get("id").asString());
        }
        return ids;
    }

    private static void assertProblem(Answer answer, int status, String field, String detail) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("detail").asString()).isEqualTo(detail);
        if (field != null) {
            assertThat(answer.json().get("field").asString()).isEqualTo(field);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // POST /api/notes

    @Test
    void addStoresTheNoteWithItsCreationTimeAndCleanedTags() {
        clock.set(Instant.parse("2025-05-06T07:08:09.123456Z"));
        Answer answer = api.post("/api/notes",
                "{\"title\": \"  Sourdough \", \"text\": \" Feed the starter. \", "
                        + "\"tags\": [\"Cooking \", \"cooking\", \" \", \"bread\"]}");

        assertThat(answer.status()).isEqualTo(201);
        JsonNode note = answer.json();
        String id = note.get("id").asString();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(note.get("title").asString()).isEqualTo("Sourdough");
        assertThat(note.get("text").asString()).isEqualTo("Feed the starter.");
        assertThat(note.get("tags").toString()).isEqualTo("[\"cooking\",\"bread\"]");
        assertThat(note.get("createdAt").asString()).isEqualTo("2025-05-06T07:08:09.123Z");
        assertThat(note.has("embedding")).isFalse();

        Note stored = repository.findById(UUID.fromString(id)).orElseThrow();
        assertThat(stored.getTags()).containsExactly("cooking", "bread");
        assertThat(stored.getCreatedAt()).isEqualTo(Instant.parse("2025-05-06T07:08:09.123Z"));
        assertThat(stored.getEmbedding()).containsExactly(embedder.embed("Sourdough\nFeed the starter."));
    }

    @Test
    void aNoteWithoutTitleIsTitledByItsFirstLine() {
        JsonNode shortNote = api.post("/api/notes", "{\"text\": \"Call the plumber\\nabout the kitchen tap\"}").json();
        assertThat(shortNote.get("title").asString()).isEqualTo("Call the plumber");
        assertThat(shortNote.get("tags").size()).isZero();

        String longLine = "A very long first line that goes on and on about many different things at once";
        JsonNode longNote = api.post("/api/notes", "{\"title\": \" \", \"text\": \"" + longLine + "\"}").json();
        assertThat(longNote.get("title").asString()).isEqualTo(longLine.substring(0, 60).strip() + "…");
    }

    @Test
    void aBlankOrMissingTextIsRefusedWithAProblemNamingTheField() {
        assertProblem(api.post("/api/notes", "{\"title\": \"Empty\", \"text\": \"   \"}"), 400, "text",
                "text: must not be blank");
        assertProblem(api.post("/api/notes", "{\"title\": \"No text\"}"), 400, "text", "text: must not be blank");
        assertThat(api.post("/api/notes", "{\"text\": \"   \"}").json().get("instance").asString())
                .isEqualTo("/api/notes");
        assertThat(repository.count()).isZero();
    }

    @Test
    void otherInvalidNotesAreRefused() {
        assertProblem(api.post("/api/notes", "{\"title\": \"" + "t".repeat(201) + "\", \"text\": \"x\"}"), 400,
                "title", "title: is 201 characters long; at most 200 are accepted");
        assertProblem(api.post("/api/notes", "{\"text\": \"" + "x".repeat(10_001) + "\"}"), 400, "text",
                "text: is 10001 characters long; at most 10000 are accepted");
        assertProblem(api.post("/api/notes", "{\"text\": \"x\", \"tags\": [\"a,b\"]}"), 400, "tags",
                "tags: 'a,b' contains a comma; give each tag as its own array element");
        assertProblem(api.post("/api/notes", "{\"text\": \"x\", \"tags\": [\"" + "t".repeat(51) + "\"]}"), 400,
                "tags", "tags: '" + "t".repeat(51) + "' is longer than 50 characters");
        String body = "the body is not a note: expected JSON such as {\"title\": \"…\", \"text\": \"…\", "
                + "\"tags\": [\"…\"]}";
        assertProblem(api.post("/api/notes", "{\"text\": "), 400, "body", body);
        assertProblem(api.post("/api/notes", "{\"text\": \"x\", \"tags\": 7}"), 400, "body", body);
        assertThat(repository.count()).isZero();
    }

    // ---------------------------------------------------------------------------------------------
    // GET /api/notes

    @Test
    void listShowsEveryNoteNewestFirst() {
        List<String> ids = addCorpus();
        Answer all = api.get("/api/notes");
        assertThat(ids(all)).containsExactly(ids.get(3), ids.get(2), ids.get(1), ids.get(0));
        JsonNode newest = all.json().get(0);
        assertThat(newest.get("title").asString()).isEqualTo("Track intervals");
        assertThat(newest.get("tags").toString()).isEqualTo("[\"sport\"]");
        assertThat(newest.get("createdAt").asString()).isEqualTo("2025-04-02T08:30:00Z");
    }

    // ---------------------------------------------------------------------------------------------
    // GET /api/notes/search

    @Test
    void searchRanksByMeaningWithCosineScores() {
        List<String> ids = addCorpus();
        Answer answer = api.search(Map.of("q", BREAD_QUESTION));
        List<String> ranked = ids(answer);
        assertThat(ranked).hasSize(4).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ranked.get(0)).isEqualTo(ids.get(0));

        JsonNode best = answer.json().get(0);
        assertThat(best.get("note").get("title").asString()).isEqualTo("Sourdough");
        float[] query = embedder.embed(BREAD_QUESTION);
        float[] note = embedder.embed("Sourdough\nFeed the starter twice a day and let the dough rise overnight "
                + "before baking the loaf.");
        double cosine = 0;
        for (int i = 0; i < query.length; i++) {
            cosine += query[i] * note[i];
        }
        assertThat(best.get("score").asDouble()).isCloseTo(cosine, within(1e-4));
        // written with the digits of the shard's single-precision score
        assertThat(best.get("score").toString()).isEqualTo(Float.toString((float) best.get("score").asDouble()));
        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode hit : answer.json()) {
            assertThat(hit.get("score").asDouble()).isLessThanOrEqualTo(previous).isBetween(-1.0, 1.0);
            previous = hit.get("score").asDouble();
        }

        assertThat(ids(api.search(Map.of("q", "running exercise", "limit", "1")))).containsExactly(ids.get(3));
        assertThat(ids(api.search(Map.of("q", "money owed to the government")))).first().isEqualTo(ids.get(1));
    }

    @Test
    void searchFiltersByTag() {
        List<String> ids = addCorpus();
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "tag", "cooking"))))
                .containsExactly(ids.get(0), ids.get(2));
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "tag", " Cooking "))))
                .containsExactly(ids.get(0), ids.get(2));
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "tag", "finance")))).containsExactly(ids.get(1));
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "tag", "gardening")))).isEmpty();
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "tag", "")))).hasSize(4);
    }

    @Test
    void searchFiltersByCreationDate() {
        List<String> ids = addCorpus();
        String sourdough = ids.get(0);
        String tax = ids.get(1);
        String pancakes = ids.get(2);
        String track = ids.get(3);
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "from", "2025-03-05"))))
                .containsExactlyInAnyOrder(tax, pancakes, track);
        // a "to" day includes all of that day (the tax note is from 10:00 UTC on the 10th)
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "to", "2025-03-10"))))
                .containsExactly(sourdough, tax);
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "from", "2025-03-10", "to", "2025-03-10"))))
                .containsExactly(tax);
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "from", "2025-03-09", "to", "2025-03-09")))).isEmpty();
        // instants are exact, inclusive bounds
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "from", "2025-03-10T10:00:00Z", "to",
                "2025-03-20T10:00:00Z")))).containsExactlyInAnyOrder(tax, pancakes);
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION, "from", "2025-03-10T10:00:00.001Z", "to",
                "2025-03-20T09:59:59.999Z")))).isEmpty();
        // with a tag as well
        LinkedHashMap<String, String> both = new LinkedHashMap<>();
        both.put("q", BREAD_QUESTION);
        both.put("tag", "cooking");
        both.put("from", "2025-03-05");
        assertThat(ids(api.search(both))).containsExactly(pancakes);
    }

    @Test
    void badSearchParametersAreRefusedWithAProblemNamingTheParameter() {
        addCorpus();
        String notADate = "is not a date: expected YYYY-MM-DD (a day in UTC) or an ISO-8601 instant such as "
                + "2025-03-01T12:00:00Z";
        assertProblem(api.search(Map.of("q", "bread", "from", "2025-13-01")), 400, "from",
                "from: '2025-13-01' " + notADate);
        assertProblem(api.search(Map.of("q", "bread", "to", "yesterday")), 400, "to", "to: 'yesterday' " + notADate);
        assertProblem(api.search(Map.of("q", "bread", "to", "2025-03-01 10:00")), 400, "to",
                "to: '2025-03-01 10:00' " + notADate);
        assertProblem(api.search(Map.of("q", "bread", "from", "2025-03-02", "to", "2025-03-01")), 400, "from",
                "from: '2025-03-02' is after to '2025-03-01'");
        assertProblem(api.search(Map.of("q", "  ")), 400, "q", "q: must not be blank: give the text to search for");
        assertProblem(api.get("/api/notes/search"), 400, "q", "q: must not be blank: give the text to search for");
        assertProblem(api.search(Map.of("q", "bread", "limit", "0")), 400, "limit",
                "limit: must be between 1 and 100, was 0");
        assertProblem(api.search(Map.of("q", "bread", "limit", "101")), 400, "limit",
                "limit: must be between 1 and 100, was 101");
        assertProblem(api.search(Map.of("q", "bread", "limit", "ten")), 400, "limit",
                "limit: 'ten' is not a whole number");
    }

    // ---------------------------------------------------------------------------------------------
    // DELETE /api/notes/{id}

    @Test
    void deleteRemovesTheNoteFromListAndSearch() {
        List<String> ids = addCorpus();
        Answer deleted = api.delete("/api/notes/" + ids.get(0));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();

        assertThat(ids(api.get("/api/notes"))).containsExactly(ids.get(3), ids.get(2), ids.get(1));
        assertThat(ids(api.search(Map.of("q", BREAD_QUESTION)))).doesNotContain(ids.get(0)).hasSize(3);
        assertThat(repository.existsById(UUID.fromString(ids.get(0)))).isFalse();

        assertProblem(api.delete("/api/notes/" + ids.get(0)), 404, null, "no note with id " + ids.get(0));
        assertProblem(api.delete("/api/notes/not-a-uuid"), 400, "id",
                "id: 'not-a-uuid' is not a UUID such as 3f2c7a1e-5b7d-4c1e-9a55-0c2d8e4b6f10");
        assertThat(repository.count()).isEqualTo(3);
    }
}
