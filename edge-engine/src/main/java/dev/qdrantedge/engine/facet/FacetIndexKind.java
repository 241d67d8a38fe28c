package dev.qdrantedge.engine.facet;

/**
 * The payload index kinds Qdrant can facet on (those with a value-to-points map), and which payload values
 * each one indexes: strings for keyword, integers and integral floats for integer (when its {@code lookup} map is on), UUID
 * strings for uuid, booleans for bool.
 */
public enum FacetIndexKind {
    KEYWORD, INTEGER, UUID, BOOL
}
