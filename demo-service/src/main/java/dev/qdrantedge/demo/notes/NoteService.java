package dev.qdrantedge.demo.notes;

import dev.qdrantedge.demo.embedding.EmbeddingSpaceCheck;
import dev.qdrantedge.demo.embedding.TextEmbedder;
import dev.qdrantedge.engine.sync.EdgeStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.SearchResults;
import org.springframework.data.domain.Sort;
import org.springframework.data.domain.Vector;
import org.springframework.stereotype.Service;

/**
 * The notes application: embeds each note when it is added and searches the notes by the meaning of a query,
 * optionally among those with a tag or created in a period.
 */
@Service
public class NoteService {

    /** The lower creation-time bound of a search without {@code from}. */
    static final Instant EARLIEST = Instant.EPOCH;
    /** The upper creation-time bound of a search without {@code to}. */
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999Z");

    private final NoteRepository notes;
    private final TextEmbedder embedder;
    private final Clock clock;

    /**
     * @throws dev.qdrantedge.demo.embedding.EmbeddingSpaceMismatchException when the store's {@value Note#VECTOR}
     *     vector does not fit the embedder
     */
    public NoteService(NoteRepository notes, TextEmbedder embedder, Clock clock, EdgeStore store) {
        EmbeddingSpaceCheck.verify(store, Note.VECTOR, embedder);
        this.notes = notes;
        this.embedder = embedder;
        this.clock = clock;
    }

    /**
     * Validates, embeds (title and text) and stores a new note, created now.
     *
     * @throws InvalidRequestException when the note is invalid
     */
    public NoteView add(NewNote request) {
        NewNote note = request.validated();
        float[] embedding = embedder.embed(note.title() + "\n" + note.text());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Note saved = notes.save(new Note(UUID.randomUUID(), note.title(), note.text(), note.tags(), now, embedding));
        return NoteView.of(saved);
    }

    /** The notes matching the search's filters, nearest in meaning to its query first. */
    public List<SearchHit> search(NoteSearch search) {
        Vector query = Vector.of(embedder.embed(search.query()));
        Instant from = search.from() == null ? EARLIEST : search.from();
        Instant to = search.to() == null ? LATEST : search.to();
        Limit limit = Limit.of(search.limit());
        SearchResults<Note> results = search.tag() == null
                ? notes.searchByCreatedAtBetweenAndEmbeddingNear(from, to, query, limit)
                : notes.searchByTagsContainingAndCreatedAtBetweenAndEmbeddingNear(search.tag(), from, to, query,
                        limit);
        return results.stream()
                .map(hit -> new SearchHit(SearchHit.score(hit.getScore().getValue()), NoteView.of(hit.getContent())))
                .collect(Collectors.toList());
    }

    /** Every note, newest first. */
    public List<NoteView> list() {
        return notes.findAll(Sort.by(Sort.Direction.DESC, "createdAt")).stream().map(NoteView::of)
                .collect(Collectors.toList());
    }

    /**
     * Deletes a note.
     *
     * @throws NoteNotFoundException when no note has this id
     */
    public void delete(UUID id) {
        if (!notes.existsById(id)) {
            throw new NoteNotFoundException(id);
        }
        notes.deleteById(id);
    }

    /** How many notes there are. */
    public long count() {
        return notes.count();
    }
}
