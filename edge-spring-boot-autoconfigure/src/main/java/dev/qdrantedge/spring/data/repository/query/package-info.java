/**
 * Queries derived from repository method names, translated into Qdrant filters and vector searches; see
 * {@link dev.qdrantedge.spring.data.repository.query.EdgePartTreeQuery}.
 */
package dev.qdrantedge.spring.data.repository.query;
