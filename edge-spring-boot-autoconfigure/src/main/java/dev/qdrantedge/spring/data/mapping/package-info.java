/**
 * Mapping metadata of entities stored as points of an edge shard: the id, the {@link
 * dev.qdrantedge.spring.data.mapping.EdgeVector vector} properties and the payload properties.
 */
package dev.qdrantedge.spring.data.mapping;
