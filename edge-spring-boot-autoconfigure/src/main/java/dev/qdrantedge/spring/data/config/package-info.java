/**
 * Configuration of edge shard repositories: {@link dev.qdrantedge.spring.data.config.EnableEdgeRepositories}
 * and what it registers.
 */
package dev.qdrantedge.spring.data.config;
