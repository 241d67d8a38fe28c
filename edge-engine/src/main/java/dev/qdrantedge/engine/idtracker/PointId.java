package dev.qdrantedge.engine.idtracker;

import java.util.UUID;

/**
 * A point's external id: an unsigned 64-bit number or a UUID, as in Qdrant. Ids order as Qdrant orders
 * them: every number before every UUID, numbers unsigned, UUIDs by their 16 bytes.
 */
public sealed interface PointId extends Comparable<PointId> permits PointId.Num, PointId.Uuid {

    static PointId of(long unsignedValue) {
        return new Num(unsignedValue);
    }

    static PointId of(UUID uuid) {
        return new Uuid(uuid);
    }

    /**
     * Parses Qdrant's JSON forms: a non-negative integer, or a UUID string (any form
     * {@link UUID#fromString} accepts: Qdrant accepts hyphenated UUIDs).
     */
    static PointId parse(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            try {
                return new Num(Long.parseUnsignedLong(text));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("point id out of the unsigned 64-bit range: " + text, e);
            }
        }
        try {
            return new Uuid(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a point id (unsigned integer or UUID): " + text, e);
        }
    }

    /** A numeric id; {@code value} holds the unsigned 64-bit number. */
    record Num(long value) implements PointId {
        @Override
        public String toString() {
            return Long.toUnsignedString(value);
        }
    }

    /** A UUID id. */
    record Uuid(UUID uuid) implements PointId {
        public Uuid {
            if (uuid == null) {
                throw new IllegalArgumentException("uuid must not be null");
            }
        }

        @Override
        public String toString() {
            return uuid.toString();
        }
    }

    @Override
    default int compareTo(PointId other) {
        if (this instanceof Num a) {
            return other instanceof Num b ? Long.compareUnsigned(a.value(), b.value()) : -1;
        }
        if (other instanceof Num) {
            return 1;
        }
        UUID a = ((Uuid) this).uuid();
        UUID b = ((Uuid) other).uuid();
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }
}
