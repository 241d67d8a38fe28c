/**
 * Shard snapshots in Qdrant's format: unpacking, manifests, partial merges applied atomically, and writing.
 *
 * <h2>Reading archives</h2>
 * Snapshots are plain tar archives written by tar-rs with GNU headers, GNU long names and old-GNU sparse
 * entries. {@code TarExtractor} unpacks one archive into a private staging
 * directory and refuses, with a {@link dev.qdrantedge.engine.snapshot.SnapshotException} naming the entry and
 * its {@link dev.qdrantedge.engine.snapshot.SnapshotException.Kind kind}: names that are absolute or contain
 * {@code ..}; links of any kind (as Qdrant does, wherever they point); devices, FIFOs and every other entry
 * type besides directories, regular and sparse files; duplicate files; sizes beyond the
 * {@link dev.qdrantedge.engine.snapshot.SnapshotLimits} (logical sizes, from the headers, before writing);
 * archives that end early, also exactly between two entries (the end-of-archive marker is required). Files
 * are written sparse. {@code SegmentLayouts} then restores the segments in
 * place as Qdrant does: streamed snapshots have {@code segments/<id>/files/...}, stored snapshots a nested
 * {@code segments/<id>.tar} of {@code snapshot/files/...} (unpacked with the same checks and limits).
 * {@code UnpackedSnapshot} loads the segment manifests of a partial snapshot
 * and checks them against the files beside them. Only after all checks (and, for a full snapshot, after every
 * segment loaded: {@code SegmentVerifier}) does anything leave the staging
 * area, so a refused archive changes nothing.
 *
 * <h2>Manifests</h2>
 * {@link dev.qdrantedge.engine.snapshot.SegmentFiles} reproduces, from a segment directory alone, the file
 * list and file versions Qdrant reports for the loaded segment; {@link dev.qdrantedge.engine.snapshot.ShardManifests}
 * assembles the shard's manifest, equal to Qdrant Edge's {@code snapshot_manifest()}.
 *
 * <h2>Applying a snapshot atomically</h2>
 * {@code SnapshotMergePlan} is Qdrant's plan (full replacement when the
 * archive carries no manifest; otherwise delete vanished segments and files, merge the snapshot's segment
 * directories, replace the WAL, take clocks and {@code applied_seq.json} when present), checked against the
 * files first. Qdrant executes it in place, so a crash can leave a mix of old and new files. Here:
 * <ol>
 *   <li><b>Stage.</b> Inside the shard directory, the hidden work area {@code .edge-snapshot-update/}
 *       receives the unpacked archive and, in {@code next/}, the complete new top-level items: a new
 *       {@code segments/} (kept local files hard-linked, replaced and new ones moved in from the archive), the
 *       new {@code wal/}, clock files. Nothing of the shard itself is written; the caller keeps the shard
 *       from changing meanwhile. The changed and new segments are loaded as a check.
 *   <li><b>Force.</b> Every staged file and directory is forced to the device.
 *   <li><b>Commit.</b> The marker {@code COMMIT} listing the items to switch (and whether each exists in the
 *       new state) is written atomically (temporary file, force, rename, force the directory). This is the
 *       commit point.
 *   <li><b>Switch.</b> Per item, the current one is renamed into {@code old/} and the staged one into place;
 *       the directory is forced, the marker deleted, the work area removed.
 * </ol>
 * <b>Recovery rule</b> ({@link dev.qdrantedge.engine.snapshot.ShardSwap#recover}, run whenever the shard is
 * opened for writing, under its lock): with a marker, the switch is run again (each step is repeatable:
 * an item whose staged copy is gone was switched already); without one, the work area is deleted (the
 * shard was never touched). So after a crash at any moment the shard opens entirely old or entirely new. A
 * read-only open refuses a shard whose switch is pending, since it cannot complete it.
 *
 * <p>In-process readers: {@link dev.qdrantedge.engine.shard.EdgeShard#updateFromSnapshot} stages without
 * blocking reads, then takes the shard's write lock, which waits for reads in progress (they finish on the
 * old state, whose files stay mapped), switches, and reopens the shard on the new state in the same object.
 * Updates and flushes wait for the whole operation.
 *
 * <h2>Writing</h2>
 * {@link dev.qdrantedge.engine.snapshot.ShardSnapshotWriter} writes the streamed layout a server produces and
 * recovers from (files with holes as old-GNU sparse entries, {@code TarWriter}),
 * and, given a requester's manifest, partial snapshots by the server's algorithm.
 */
package dev.qdrantedge.engine.snapshot;
