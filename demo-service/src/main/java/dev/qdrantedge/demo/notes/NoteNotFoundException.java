package dev.qdrantedge.demo.notes;

import java.util.UUID;

/** No note has the requested id; the API answers 404. */
public class NoteNotFoundException extends RuntimeException {

    public NoteNotFoundException(UUID id) {
        super("no note with id " + id);
    }
}
