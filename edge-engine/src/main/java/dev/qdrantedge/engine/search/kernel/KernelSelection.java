package dev.qdrantedge.engine.search.kernel;

import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Locale;
import java.util.Optional;

/**
 * Picks the kernels once per JVM.
 *
 * <p>The Vector API kernels are used when the JVM was started with {@code --add-modules jdk.incubator.vector}
 * (so the module is in the boot layer), their class links and the CPU's preferred vector width is at least
 * 128 bits; otherwise the scalar kernels. The system property {@value #PROPERTY}{@code =scalar} forces the
 * scalar kernels ({@code auto}, the default, lets the rules above decide).
 *
 * <p>{@link PanamaKernels} is loaded reflectively, and only after the module check, so that a JVM without the
 * module never tries to link it.
 */
final class KernelSelection {

    /** System property choosing the kernels: {@code auto} (default) or {@code scalar}. */
    static final String PROPERTY = "qdrant.edge.kernels";

    static final String VECTOR_MODULE = "jdk.incubator.vector";

    private static final String PANAMA_CLASS = "dev.qdrantedge.engine.search.kernel.PanamaKernels";

    private static final System.Logger LOG = System.getLogger(KernelSelection.class.getName());

    static final VectorKernels SELECTED = select(System.getProperty(PROPERTY, "auto"));

    private KernelSelection() {
    }

    /** The kernels for a value of {@value #PROPERTY}. */
    static VectorKernels select(String property) {
        String mode = property.trim().toLowerCase(Locale.ROOT);
        if (mode.equals("scalar")) {
            return ScalarKernels.INSTANCE;
        }
        if (!mode.equals("auto")) {
            LOG.log(Level.WARNING, "Ignoring unknown value of " + PROPERTY + ": \"" + property
                    + "\" (expected auto or scalar)");
        }
        Optional<VectorKernels> vectorApi = VectorApi.KERNELS;
        if (vectorApi.isPresent()) {
            LOG.log(Level.DEBUG, "Exact search uses the " + vectorApi.get().name() + " kernels");
            return vectorApi.get();
        }
        LOG.log(Level.DEBUG, "Exact search uses the scalar kernels (start the JVM with --add-modules "
                + VECTOR_MODULE + " for the Vector API kernels)");
        return ScalarKernels.INSTANCE;
    }

    /** The Vector API kernels, looked up on first use. */
    static final class VectorApi {

        static final Optional<VectorKernels> KERNELS = load();

        private VectorApi() {
        }

        private static Optional<VectorKernels> load() {
            if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
                return Optional.empty();
            }
            try {
                Class<?> type = Class.forName(PANAMA_CLASS, true, KernelSelection.class.getClassLoader());
                VectorKernels kernels = (VectorKernels) MethodHandles.lookup()
                        .findStatic(type, "create", MethodType.methodType(VectorKernels.class))
                        .invoke();
                return Optional.ofNullable(kernels);
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError) {
                    throw (VirtualMachineError) e;
                }
                LOG.log(Level.WARNING, "The " + VECTOR_MODULE + " module is present but its kernels cannot be "
                        + "used; exact search falls back to the scalar kernels", e);
                return Optional.empty();
            }
        }
    }
}
