package dev.qdrantedge.demo.notes;

/**
 * One search result: the note and the cosine similarity of its embedding to the query's, from -1 to 1
 * (higher is closer in meaning).
 */
public record SearchHit(double score, NoteView note) {

    /**
     * A score as the shard computes it, in single precision, written with the digits that float has
     * ({@code 0.56375116}, not the widened {@code 0.5637511610984802}).
     */
    static double score(double shardScore) {
        return Double.parseDouble(Float.toString((float) shardScore));
    }
}
