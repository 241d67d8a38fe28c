package dev.qdrantedge.engine.sync;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.wal.Crc32c;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The outbox log's file format. The file starts with {@value #MAGIC_TEXT} and a format version (4 bytes); then
 * come frames: the body length (4 bytes), the CRC-32C of the body (4 bytes), the body. A body starts with its
 * record type:
 *
 * <ul>
 *   <li>{@link #APPEND}: sequence number, creation time (epoch ms), local operation number, the touched point
 *       ids (count, -1 when none were recorded, then per id a kind byte and 8 or 16 bytes), the operation
 *       (length, then its WAL record: CBOR as {@link dev.qdrantedge.engine.wal.OperationEncoder} writes
 *       it);</li>
 *   <li>{@link #STATE}: sequence number, state ordinal, attempts, next attempt time, delivery time (-1: none),
 *       last error (UTF-8 length, -1: none, then the bytes): the entry's new delivery state. A state record
 *       saying {@link OutboxState#IN_FLIGHT} also records for good that the entry was handed to the sink;</li>
 *   <li>{@link #REFLECTED}: ranges of sequence numbers (count, then first and last of each) whose entries
 *       the mirror now reflects;</li>
 *   <li>{@link #PURGE}: a sequence number whose entry is removed;</li>
 *   <li>{@link #NEXT_SEQ}: the lowest sequence number the next entry may get (written by compaction, which
 *       may remove the newest entries).</li>
 * </ul>
 * Numbers are big-endian. A frame that is cut short or whose CRC does not match ends the log.
 *
 * <p>Version 1 had no way to say that no point ids were recorded: an entry of a version 1 file with no ids
 * and no local operation is read as having none recorded.
 */
final class OutboxRecords {

    static final String MAGIC_TEXT = "QEOUTBOX";
    static final byte[] MAGIC = MAGIC_TEXT.getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** The oldest version still read. */
    static final int OLDEST_VERSION = 1;
    static final int HEADER_LEN = MAGIC.length + 4;
    static final int FRAME_HEADER_LEN = 8;
    /** Larger bodies are taken for a damaged length field. */
    static final int MAX_BODY = 1 << 30;

    static final byte APPEND = 1;
    static final byte STATE = 2;
    static final byte REFLECTED = 3;
    static final byte PURGE = 4;
    static final byte NEXT_SEQ = 5;

    private static final byte NUM_ID = 0;
    private static final byte UUID_ID = 1;

    private OutboxRecords() {
    }

    static byte[] header() {
        return ByteBuffer.allocate(HEADER_LEN).put(MAGIC).putInt(VERSION).array();
    }

    /** A frame around {@code bodies}, one after the other. */
    static ByteBuffer frames(List<byte[]> bodies) {
        int total = 0;
        for (byte[] body : bodies) {
            total += FRAME_HEADER_LEN + body.length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(total);
        for (byte[] body : bodies) {
            buffer.putInt(body.length).putInt(Crc32c.of(body)).put(body);
        }
        return buffer.flip();
    }

    /** @param ids the touched point ids, or {@code null} when none were recorded */
    static byte[] append(long seq, long createdMillis, long localOperation, List<PointId> ids, byte[] operation) {
        List<PointId> recorded = ids == null ? List.of() : ids;
        int idBytes = 0;
        for (PointId id : recorded) {
            idBytes += id instanceof PointId.Num ? 9 : 17;
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + 8 + 4 + idBytes + 4 + operation.length);
        b.put(APPEND).putLong(seq).putLong(createdMillis).putLong(localOperation)
                .putInt(ids == null ? -1 : ids.size());
        for (PointId id : recorded) {
            if (id instanceof PointId.Num num) {
                b.put(NUM_ID).putLong(num.value());
            } else {
                UUID uuid = ((PointId.Uuid) id).uuid();
                b.put(UUID_ID).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
            }
        }
        b.putInt(operation.length).put(operation);
        return b.array();
    }

    static byte[] state(long seq, OutboxState state, int attempts, long nextAttemptMillis, long deliveredMillis,
            String error) {
        byte[] message = error == null ? null : error.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 1 + 4 + 8 + 8 + 4 + (message == null ? 0 : message.length));
        b.put(STATE).putLong(seq).put((byte) state.ordinal()).putInt(attempts).putLong(nextAttemptMillis)
                .putLong(deliveredMillis).putInt(message == null ? -1 : message.length);
        if (message != null) {
            b.put(message);
        }
        return b.array();
    }

    /** {@code seqs} ascending, as ranges of consecutive numbers. */
    static byte[] reflected(List<Long> seqs) {
        List<long[]> ranges = new ArrayList<>();
        for (long seq : seqs) {
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[1] + 1 == seq) {
                last[1] = seq;
            } else {
                ranges.add(new long[] {seq, seq});
            }
        }
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 16 * ranges.size());
        b.put(REFLECTED).putInt(ranges.size());
        for (long[] range : ranges) {
            b.putLong(range[0]).putLong(range[1]);
        }
        return b.array();
    }

    static byte[] purge(long seq) {
        return ByteBuffer.allocate(9).put(PURGE).putLong(seq).array();
    }

    static byte[] nextSeq(long seq) {
        return ByteBuffer.allocate(9).put(NEXT_SEQ).putLong(seq).array();
    }

    /** A decoded body. */
    sealed interface Record permits Append, State, Reflected, Purge, NextSeq {
    }

    /**
     * @param ids the touched point ids, or {@code null} when none were recorded
     * @param operationOffset where the operation's bytes start within the body
     */
    record Append(long seq, long createdMillis, long localOperation, List<PointId> ids, int operationOffset,
            int operationLength) implements Record {
    }

    record State(long seq, OutboxState state, int attempts, long nextAttemptMillis, long deliveredMillis,
            String error) implements Record {
    }

    record Reflected(List<long[]> ranges) implements Record {
    }

    record Purge(long seq) implements Record {
    }

    record NextSeq(long seq) implements Record {
    }

    /**
     * Decodes a body whose CRC matched.
     *
     * @throws IllegalArgumentException when it is malformed
     */
    static Record decode(byte[] body) {
        ByteBuffer b = ByteBuffer.wrap(body);
        try {
            Record record = decode(b);
            if (b.hasRemaining()) {
                throw new IllegalArgumentException(b.remaining() + " unexpected bytes after the record");
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("the record ends early", e);
        }
    }

    private static Record decode(ByteBuffer b) {
        byte type = b.get();
        switch (type) {
            case APPEND: {
                long seq = b.getLong();
                long created = b.getLong();
                long local = b.getLong();
                int count = b.getInt();
                if (count < -1) {
                    throw new IllegalArgumentException("point id count is negative (" + count + ")");
                }
                List<PointId> ids = count < 0 ? null : new ArrayList<>(Math.min(count, 1 << 16));
                for (int i = 0; i < count; i++) {
                    byte kind = b.get();
                    if (kind == NUM_ID) {
                        ids.add(PointId.of(b.getLong()));
                    } else if (kind == UUID_ID) {
                        ids.add(PointId.of(new UUID(b.getLong(), b.getLong())));
                    } else {
                        throw new IllegalArgumentException("unknown point id kind " + kind);
                    }
                }
                int length = nonNegative(b.getInt(), "operation length");
                int offset = b.position();
                if (length != b.remaining()) {
                    throw new IllegalArgumentException("operation length " + length + " but " + b.remaining()
                            + " bytes follow");
                }
                b.position(offset + length);
                return new Append(seq, created, local, ids, offset, length);
            }
            case STATE: {
                long seq = b.getLong();
                int ordinal = b.get();
                if (ordinal < 0 || ordinal >= OutboxState.values().length) {
                    throw new IllegalArgumentException("unknown state " + ordinal);
                }
                int attempts = b.getInt();
                long next = b.getLong();
                long delivered = b.getLong();
                int length = b.getInt();
                String error = null;
                if (length >= 0) {
                    byte[] message = new byte[length];
                    b.get(message);
                    error = new String(message, StandardCharsets.UTF_8);
                }
                return new State(seq, OutboxState.values()[ordinal], attempts, next, delivered, error);
            }
            case REFLECTED: {
                int count = nonNegative(b.getInt(), "range count");
                List<long[]> ranges = new ArrayList<>(Math.min(count, 1 << 16));
                for (int i = 0; i < count; i++) {
                    long first = b.getLong();
                    long last = b.getLong();
                    if (last < first) {
                        throw new IllegalArgumentException("range " + first + ".." + last + " is reversed");
                    }
                    ranges.add(new long[] {first, last});
                }
                return new Reflected(ranges);
            }
            case PURGE:
                return new Purge(b.getLong());
            case NEXT_SEQ:
                return new NextSeq(b.getLong());
            default:
                throw new IllegalArgumentException("unknown record type " + type);
        }
    }

    private static int nonNegative(int value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " is negative (" + value + ")");
        }
        return value;
    }
}
