package dev.qdrantedge.engine.payload;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.gridstore.Gridstore;
import dev.qdrantedge.engine.segment.Segment;
import dev.qdrantedge.engine.segment.SegmentState;
import java.nio.file.Path;
import tools.jackson.databind.node.ObjectNode;

/**
 * A segment's payloads, read from {@code payload_storage/}: a gridstore whose value at a point's internal id
 * is the payload as LZ4-compressed JSON. A point without a stored value has the empty payload {@code {}}.
 * Storage types {@code mmap} and {@code in_ram_mmap} share these files; the legacy RocksDB types are refused.
 */
public final class PayloadStorage implements PayloadReader {

    public static final String DIRECTORY = "payload_storage";

    private final Gridstore gridstore;

    private PayloadStorage(Gridstore gridstore) {
        this.gridstore = gridstore;
    }

    /** Opens the payload storage of an opened segment. */
    public static PayloadStorage open(Segment segment) {
        return open(segment.directory(), segment.state().payloadStorageType());
    }

    /**
     * Opens the payload storage of the segment in {@code segmentDir}, whose {@code segment.json} names the
     * storage type {@code storageType}.
     */
    public static PayloadStorage open(Path segmentDir, String storageType) {
        PayloadStorageType type;
        try {
            type = PayloadStorageType.fromJson(storageType);
        } catch (IllegalArgumentException e) {
            throw new EdgeFormatException(segmentDir.resolve(SegmentState.FILE), e.getMessage(), e);
        }
        if (!type.gridstore()) {
            throw new EdgeFormatException(segmentDir.resolve(SegmentState.FILE), "payload storage type '"
                    + type.json() + "' keeps payloads in RocksDB, which is not supported (Qdrant 1.18 and newer "
                    + "refuse it too; let Qdrant 1.17 migrate the segment first)");
        }
        return new PayloadStorage(Gridstore.open(segmentDir.resolve(DIRECTORY)));
    }

    /** The underlying gridstore. */
    public Gridstore gridstore() {
        return gridstore;
    }

    /**
     * The payload of an internal id: a JSON object, {@code {}} when nothing is stored. The returned node is
     * new on every call and the caller may modify it.
     */
    @Override
    public ObjectNode get(int internalId) {
        ObjectNode payload = gridstore.get(internalId, PayloadJson::decode);
        return payload == null ? PayloadJson.empty() : payload;
    }

    @Override
    public void close() {
        gridstore.close();
    }
}
