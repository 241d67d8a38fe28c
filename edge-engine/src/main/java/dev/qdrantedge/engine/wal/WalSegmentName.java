package dev.qdrantedge.engine.wal;

import dev.qdrantedge.engine.EdgeFormatException;
import java.nio.file.Path;

/**
 * A WAL segment file name parsed as Qdrant parses it: the part before the first {@code -} decides.
 * {@code open-<u64>} and {@code closed-<u64>} are segments (a bad number is an error), {@code tmp-*}
 * files are leftovers of an interrupted segment creation and every other name is ignored.
 *
 * @param kind open or closed
 * @param number the open segment's id or the closed segment's start index (unsigned)
 */
record WalSegmentName(WalSegmentKind kind, long number) {

    /** The segment name of {@code file}, or {@code null} when the file is not a segment. */
    static WalSegmentName parse(Path file) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String head = name.substring(0, dash);
        WalSegmentKind kind;
        if (head.equals("open")) {
            kind = WalSegmentKind.OPEN;
        } else if (head.equals("closed")) {
            kind = WalSegmentKind.CLOSED;
        } else {
            return null;
        }
        String digits = name.substring(dash + 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new EdgeFormatException(file, "unexpected file in the WAL directory: \"" + head
                    + "-\" must be followed by a number");
        }
        try {
            return new WalSegmentName(kind, Long.parseUnsignedLong(digits));
        } catch (NumberFormatException e) {
            throw new EdgeFormatException(file, "unexpected file in the WAL directory: number out of range", e);
        }
    }
}
