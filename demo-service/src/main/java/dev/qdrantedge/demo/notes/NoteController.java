package dev.qdrantedge.demo.notes;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notes API (JSON):
 * <ul>
 *   <li>{@code POST /api/notes} {@code {"title", "text", "tags"}}: 201 with the stored note;</li>
 *   <li>{@code GET /api/notes}: every note, newest first;</li>
 *   <li>{@code GET /api/notes/search?q=…&tag=…&from=…&to=…&limit=…}: the notes nearest in meaning to
 *       {@code q}, with their scores, best first;</li>
 *   <li>{@code DELETE /api/notes/{id}}: 204, or 404 for an unknown id.</li>
 * </ul>
 * Invalid input is answered 400 with a problem document naming the field ({@link ApiErrors}).
 */
@RestController
@RequestMapping("/api/notes")
public class NoteController {

    private final NoteService notes;

    public NoteController(NoteService notes) {
        this.notes = notes;
    }

    @PostMapping
    public ResponseEntity<NoteView> add(@RequestBody NewNote note) {
        NoteView saved = notes.add(note);
        return ResponseEntity.created(URI.create("/api/notes/" + saved.id())).body(saved);
    }

    @GetMapping
    public List<NoteView> list() {
        return notes.list();
    }

    @GetMapping("/search")
    public List<SearchHit> search(@RequestParam(required = false) String q,
            @RequestParam(required = false) String tag, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) Integer limit) {
        return notes.search(NoteSearch.parse(q, tag, from, to, limit));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable UUID id) {
        notes.delete(id);
    }
}
