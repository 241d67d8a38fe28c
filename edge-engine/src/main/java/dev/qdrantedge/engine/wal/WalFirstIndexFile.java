package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeFormatException;
import dev.qdrantedge.engine.io.BinaryFiles;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WAL's {@code first-index} file, {@code {"ack_index":<u64>}}: the last operation whose effects
 * were confirmed flushed to the segments. Written on acknowledgement; absent until the first one.
 */
final class WalFirstIndexFile {

    static final String NAME = "first-index";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private WalFirstIndexFile() {
    }

    /** The acknowledged index, or empty when the file does not exist. */
    static OptionalLong read(Path walDir) {
        Path file = walDir.resolve(NAME);
        Optional<ByteBuffer> content = BinaryFiles.readAllIfPresent(file);
        if (content.isEmpty()) {
            return OptionalLong.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(content.get().array());
        } catch (JacksonException e) {
            throw new EdgeFormatException(file, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode ack = root == null ? null : root.get("ack_index");
        if (ack == null || !ack.isIntegralNumber() || ack.bigIntegerValue().signum() < 0
                || ack.bigIntegerValue().bitLength() > 64) {
            throw new EdgeFormatException(file, "expected {\"ack_index\":<unsigned 64-bit integer>}, found "
                    + root);
        }
        return OptionalLong.of(ack.bigIntegerValue().longValue());
    }
}
