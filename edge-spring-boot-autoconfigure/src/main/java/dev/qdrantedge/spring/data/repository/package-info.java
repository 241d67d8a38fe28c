/** Spring Data repositories over an edge shard. */
package dev.qdrantedge.spring.data.repository;
