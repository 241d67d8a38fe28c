package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.operation.UpdateOperation;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORMapper;

/**
 * Decodes WAL records: CBOR maps holding one operation variant ({@code {"upsert_points": …}}) and, in
 * records written by a Qdrant server, a {@code "clock_tag"} next to it. Whether the map has definite or
 * indefinite length does not matter. A record that is not CBOR, names an unknown operation or has an
 * unexpected shape is an {@link EdgeFormatException} naming the segment file, the entry and the place
 * in the record; nothing is skipped silently.
 */
public final class WalRecordDecoder {

    private static final String CLOCK_TAG = "clock_tag";
    private static final CBORMapper CBOR = CBORMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Decodes one entry. */
    public WalRecord decode(WalEntry entry) {
        JsonNode root;
        try {
            root = CBOR.readTree(entry.data());
        } catch (JacksonException e) {
            throw new EdgeFormatException(entry.file(), entry.describe() + ": not a CBOR record: "
                    + e.getOriginalMessage(), e);
        }
        try {
            return decode(entry.index(), root);
        } catch (WalDecodeException e) {
            throw new EdgeFormatException(entry.file(), entry.describe() + ": " + e.getMessage(), e);
        }
    }

    private static WalRecord decode(long index, JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new WalDecodeException("expected a map holding one operation, found " + CborValues.kind(root));
        }
        Map.Entry<String, JsonNode> operation = null;
        Optional<ClockTag> clockTag = Optional.empty();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(CLOCK_TAG)) {
                if (!field.getValue().isNull()) {
                    clockTag = Optional.of(clockTag(field.getValue()));
                }
            } else if (operation == null) {
                operation = field;
            } else {
                throw new WalDecodeException("record holds two operations, \"" + operation.getKey() + "\" and \""
                        + field.getKey() + "\"");
            }
        }
        if (operation == null) {
            throw new WalDecodeException("record holds no operation");
        }
        UpdateOperation op = OperationDecoder.decode(operation.getKey(), operation.getValue());
        return new WalRecord(index, op, clockTag);
    }

    private static ClockTag clockTag(JsonNode node) {
        CborStruct s = CborStruct.of(node, CLOCK_TAG);
        ClockTag tag = new ClockTag(
                unsigned(s.required("peer_id"), s.where("peer_id"), 64),
                (int) unsigned(s.required("clock_id"), s.where("clock_id"), 32),
                unsigned(s.required("clock_tick"), s.where("clock_tick"), 64),
                unsigned(s.required("token"), s.where("token"), 64),
                bool(s.required("force"), s.where("force")));
        s.noOthers();
        return tag;
    }

    private static long unsigned(JsonNode node, String where, int bits) {
        if (!node.isIntegralNumber() || node.bigIntegerValue().signum() < 0
                || node.bigIntegerValue().bitLength() > bits) {
            throw new WalDecodeException(where + ": expected an unsigned " + bits + "-bit number, found "
                    + CborValues.kind(node));
        }
        return node.bigIntegerValue().longValue();
    }

    private static boolean bool(JsonNode node, String where) {
        if (!node.isBoolean()) {
            throw new WalDecodeException(where + ": expected a boolean, found " + CborValues.kind(node));
        }
        return node.booleanValue();
    }
}
