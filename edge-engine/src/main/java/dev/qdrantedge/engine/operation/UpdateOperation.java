package dev.qdrantedge.engine.operation;

/**
 * One shard update as Qdrant records it in the WAL ({@code CollectionUpdateOperations}). Every WAL
 * entry holds exactly one; its WAL index is the operation number that the update stamps on the points
 * it touches.
 *
 * <p>Filters, payloads, field-index schemas and vector-name configurations are kept as Jackson trees in
 * Qdrant's JSON (REST) form: UUIDs appear as hyphenated strings and every floating-point number as a
 * double. The records are value objects; do not modify the trees or arrays they hold.
 */
public sealed interface UpdateOperation permits UpsertPoints, ConditionalUpsertPoints, DeletePoints,
        DeletePointsByFilter, SyncPoints, SetPayload, OverwritePayload, DeletePayload, ClearPayload,
        ClearPayloadByFilter, UpdateVectors, DeleteVectors, DeleteVectorsByFilter, CreateFieldIndex,
        DeleteFieldIndex, CreateVectorName, DeleteVectorName {

    /** The variant name Qdrant uses as the record's map key, e.g. {@code "upsert_points"}. */
    String variant();
}
