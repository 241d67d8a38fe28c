package dev.qdrantedge.engine.search.kernel;

/** HotSpot options of the running VM, where it tells them. */
final class VmFlags {

    private VmFlags() {
    }

    /**
     * A boolean HotSpot flag ({@code -XX:+Name}) as the running VM has it, or {@code fallback} where the VM or
     * the {@code jdk.management} module cannot tell. Read reflectively so the engine does not require that
     * module.
     */
    static boolean booleanOrDefault(String name, boolean fallback) {
        try {
            Class<?> beanType = Class.forName("com.sun.management.HotSpotDiagnosticMXBean");
            Class<?> factory = Class.forName("java.lang.management.ManagementFactory");
            Object bean = factory.getMethod("getPlatformMXBean", Class.class).invoke(null, beanType);
            Object option = beanType.getMethod("getVMOption", String.class).invoke(bean, name);
            Object value = Class.forName("com.sun.management.VMOption").getMethod("getValue").invoke(option);
            return Boolean.parseBoolean(String.valueOf(value));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return fallback;
        }
    }
}
