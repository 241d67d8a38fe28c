package dev.qdrantedge.engine.facet;

import java.util.UUID;

/**
 * A value a facet counts: a keyword, an integer, a UUID or a boolean. Values order as Qdrant orders them
 * (on equal counts the smaller value comes first): keywords before integers before UUIDs before booleans;
 * keywords by their UTF-8 bytes, integers numerically, UUIDs by their 128-bit value, {@code false} before
 * {@code true}.
 */
public sealed interface FacetValue extends Comparable<FacetValue>
        permits FacetValue.Keyword, FacetValue.Int, FacetValue.Uuid, FacetValue.Bool {

    record Keyword(String value) implements FacetValue {
    }

    record Int(long value) implements FacetValue {
    }

    record Uuid(UUID value) implements FacetValue {
    }

    record Bool(boolean value) implements FacetValue {
    }

    private int rank() {
        if (this instanceof Keyword) {
            return 0;
        }
        if (this instanceof Int) {
            return 1;
        }
        return this instanceof Uuid ? 2 : 3;
    }

    @Override
    default int compareTo(FacetValue other) {
        int byKind = Integer.compare(rank(), other.rank());
        if (byKind != 0) {
            return byKind;
        }
        if (this instanceof Keyword a) {
            return compareUtf8(a.value(), ((Keyword) other).value());
        }
        if (this instanceof Int a) {
            return Long.compare(a.value(), ((Int) other).value());
        }
        if (this instanceof Uuid a) {
            UUID b = ((Uuid) other).value();
            int high = Long.compareUnsigned(a.value().getMostSignificantBits(), b.getMostSignificantBits());
            return high != 0 ? high : Long.compareUnsigned(a.value().getLeastSignificantBits(),
                    b.getLeastSignificantBits());
        }
        return Boolean.compare(((Bool) this).value(), ((Bool) other).value());
    }

    /** UTF-8 byte order, which is code point order (Java's {@code compareTo} orders UTF-16 units). */
    private static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
