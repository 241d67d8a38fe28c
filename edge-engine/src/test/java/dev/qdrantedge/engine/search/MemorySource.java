package dev.qdrantedge.engine.search;

import dev.qdrantedge.engine.idtracker.PointId;
import dev.qdrantedge.engine.vectors.DenseVector;
import dev.qdrantedge.engine.vectors.SparseVector;
import dev.qdrantedge.engine.vectors.VectorValue;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Dense vectors held in memory as one search part: position {@code i} is point id {@code i}, version 0. */
final class MemorySource implements SearchSource, SearchPart {

    private final String name;
    private final float[][] vectors;

    MemorySource(String name, float[][] vectors) {
        this.name = name;
        this.vectors = vectors;
    }

    @Override
    public List<? extends SearchPart> parts() {
        return List.of(this);
    }

    @Override
    public int size() {
        return vectors.length;
    }

    @Override
    public boolean isCurrent(int position) {
        return true;
    }

    @Override
    public PointId id(int position) {
        return PointId.of(position);
    }

    @Override
    public long version(int position) {
        return 0;
    }

    @Override
    public ObjectNode payload(int position) {
        return JsonNodeFactory.instance.objectNode();
    }

    @Override
    public Map<String, VectorValue> vectors(int position) {
        return Map.of(name, new DenseVector(vectors[position]));
    }

    @Override
    public VectorValue vector(int position, String vectorName) {
        return vectorName.equals(name) ? new DenseVector(vectors[position]) : null;
    }

    @Override
    public void forEachIndexedSparse(String vectorName, Consumer<SparseVector> action) {
        // dense only
    }
}
