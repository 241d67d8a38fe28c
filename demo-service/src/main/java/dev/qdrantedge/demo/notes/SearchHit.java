package dev.qdrantedge.demo.notes;

/**
 * One search result: the note and the cosine similarity of its embedding to the query's, from -1 to 1
 * (higher is closer in meaning).
 */
public record SearchHit(double score, NoteView note) {
}
