/** The repository factory, its factory bean and the base implementation of edge shard repositories. */
package dev.qdrantedge.spring.data.repository.support;
