/**
 * Entities over an {@link dev.qdrantedge.engine.EdgeOperations}: {@link
 * dev.qdrantedge.spring.data.core.EdgeTemplate} (save, find, page, sort, count, delete, vector search) and
 * {@link dev.qdrantedge.spring.data.core.EdgeEntityConverter} (entity to point and back).
 */
package dev.qdrantedge.spring.data.core;
