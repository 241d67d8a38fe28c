/**
 * Keeping a local shard in step with a Qdrant server, in plain Java (the Spring layer schedules and wires it).
 *
 * <ul>
 *   <li>{@link dev.qdrantedge.engine.sync.EdgeStore}: the application's point API over a local shard merged
 *       with a mirror of the server's shard; each write is recorded in the outbox and applied locally in one
 *       durable step, reads see the local copy of a point over the mirror's until the mirror reflects it, and
 *       {@link dev.qdrantedge.engine.sync.EdgeStore#refresh} brings the mirror up to date from snapshots.</li>
 *   <li>{@link dev.qdrantedge.engine.sync.OutboxLog}: the durable, ordered log of writes with their delivery
 *       state, dead letters, resubmission and compaction.</li>
 *   <li>{@link dev.qdrantedge.engine.sync.OutboxPublisher}: delivers the log to an
 *       {@link dev.qdrantedge.engine.sync.OutboxSink} in order, in batches, with retries and backoff.</li>
 *   <li>Contracts for the transports: {@link dev.qdrantedge.engine.sync.OutboxSink} (where writes go),
 *       {@link dev.qdrantedge.engine.sync.SnapshotSource} (where snapshots come from),
 *       {@link dev.qdrantedge.engine.sync.DeliveryException}, {@link dev.qdrantedge.engine.sync.Backoff}.</li>
 * </ul>
 */
package dev.qdrantedge.engine.sync;
