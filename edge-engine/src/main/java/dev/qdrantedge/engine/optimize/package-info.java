/**
 * The shard's optimizers, as Qdrant Edge runs them: which segments to merge or index (following the
 * optimizer configuration's thresholds), building the optimized segment beside the shard, and switching it in
 * by a commit marker so that a crash at any point leaves every point in the shard exactly once.
 */
package dev.qdrantedge.engine.optimize;
