package dev.qdrantedge.engine.search.kernel;

/** Prints the name of the kernels a fresh JVM selects; run by {@link KernelSelectionProcessTest}. */
public final class KernelProbe {

    private KernelProbe() {
    }

    public static void main(String[] args) {
        System.out.println(VectorKernels.get().name());
    }
}
