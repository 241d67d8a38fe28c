package dev.qdrantedge.engine.sync;

/** Where an outbox entry stands in its delivery. */
public enum OutboxState {
    /** Waiting to be delivered (also after a failed attempt, until its next attempt is due). */
    PENDING,
    /** Handed to the sink; not acknowledged yet. Read back as {@link #PENDING} when the log is opened again. */
    IN_FLIGHT,
    /** Acknowledged by the sink. */
    DELIVERED,
    /** Refused permanently by the sink; kept for inspection until resubmitted or purged. */
    DEAD
}
