package dev.qdrantedge.engine.payload;

import dev.qdrantedge.engine.gridstore.GridstoreConfig;
import dev.qdrantedge.engine.gridstore.WritableGridstore;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/**
 * A segment's {@code payload_storage/} opened for writing. Each payload is stored as Qdrant stores it:
 * {@code serde_json} compact text ({@link SerdeJsonWriter}) compressed with LZ4 in a gridstore with Qdrant's
 * default configuration. A point without a stored value has the empty payload {@code {}}; {@link #set} with an
 * empty object stores {@code {}} (as Qdrant does for an empty upserted payload), {@link #delete} empties the
 * slot (as Qdrant does when a point's payload is cleared or the point is deleted).
 *
 * <p>Changes are visible to {@link #get} at once and durable after {@link #flush()}; see
 * {@link WritableGridstore} for what a crash leaves. Not thread-safe.
 */
public final class WritablePayloadStorage implements PayloadReader {

    private final WritableGridstore gridstore;

    private WritablePayloadStorage(WritableGridstore gridstore) {
        this.gridstore = gridstore;
    }

    /** Creates {@code payload_storage/} in the segment directory {@code segmentDir}. */
    public static WritablePayloadStorage create(Path segmentDir) {
        return new WritablePayloadStorage(
                WritableGridstore.create(segmentDir.resolve(PayloadStorage.DIRECTORY), GridstoreConfig.PAYLOADS));
    }

    /** Opens the existing {@code payload_storage/} of the segment directory {@code segmentDir}. */
    public static WritablePayloadStorage open(Path segmentDir) {
        return new WritablePayloadStorage(WritableGridstore.open(segmentDir.resolve(PayloadStorage.DIRECTORY)));
    }

    /** Opens {@code payload_storage/} when it exists, as Qdrant does, otherwise creates it. */
    public static WritablePayloadStorage openOrCreate(Path segmentDir) {
        return new WritablePayloadStorage(WritableGridstore.openOrCreate(
                segmentDir.resolve(PayloadStorage.DIRECTORY), GridstoreConfig.PAYLOADS));
    }

    /** The underlying gridstore. */
    public WritableGridstore gridstore() {
        return gridstore;
    }

    /** Replaces the payload of an internal id. */
    public void set(int internalId, ObjectNode payload) {
        gridstore.put(internalId, SerdeJsonWriter.toBytes(payload));
    }

    /** Removes the payload of an internal id, leaving it empty; whether it had a stored value. */
    public boolean delete(int internalId) {
        return gridstore.delete(internalId);
    }

    /** The payload of an internal id, {@code {}} when nothing is stored; a new node on every call. */
    @Override
    public ObjectNode get(int internalId) {
        ObjectNode payload = gridstore.get(internalId, PayloadJson::decode);
        return payload == null ? PayloadJson.empty() : payload;
    }

    /** Makes all changes durable. */
    public void flush() {
        gridstore.flush();
    }

    /** Flushes and releases the files. */
    @Override
    public void close() {
        gridstore.close();
    }
}
