package dev.qdrantedge.engine.operation;

/** How a {@link ConditionalUpsertPoints} treats new and existing points. */
public enum UpdateMode {
    /** Insert new points, update existing ones that match the condition (Qdrant's default). */
    UPSERT("upsert"),
    /** Only insert points that do not exist yet. */
    INSERT_ONLY("insert_only"),
    /** Only update existing points that match the condition. */
    UPDATE_ONLY("update_only");

    private final String wireName;

    UpdateMode(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the WAL, e.g. {@code "insert_only"}. */
    public String wireName() {
        return wireName;
    }

    /** The mode with this WAL name, or {@code null} if there is none. */
    public static UpdateMode fromWireName(String name) {
        for (UpdateMode mode : values()) {
            if (mode.wireName.equals(name)) {
                return mode;
            }
        }
        return null;
    }
}
