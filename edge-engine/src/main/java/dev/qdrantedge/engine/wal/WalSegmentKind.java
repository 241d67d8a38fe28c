package dev.qdrantedge.engine.wal;

/** The two kinds of WAL segment file. */
public enum WalSegmentKind {
    /** {@code open-<id>}: being (or to be) appended to; ordered by id. */
    OPEN("open-"),
    /** {@code closed-<start index>}: full, named after the WAL index of its first entry. */
    CLOSED("closed-");

    private final String prefix;

    WalSegmentKind(String prefix) {
        this.prefix = prefix;
    }

    /** The file name prefix, {@code "open-"} or {@code "closed-"}. */
    public String prefix() {
        return prefix;
    }
}
