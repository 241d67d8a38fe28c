package dev.qdrantedge.engine.search.kernel;

/** Picks the kernels once per JVM. */
final class KernelSelection {

    static final VectorKernels SELECTED = select();

    private KernelSelection() {
    }

    private static VectorKernels select() {
        return ScalarKernels.INSTANCE;
    }
}
