package dev.qdrantedge.demo.notes;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A note as the API shows it: everything but the embedding. */
public record NoteView(UUID id, String title, String text, List<String> tags, Instant createdAt) {

    static NoteView of(Note note) {
        return new NoteView(note.getId(), note.getTitle(), note.getText(), note.getTags(), note.getCreatedAt());
    }
}
