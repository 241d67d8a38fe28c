package dev.qdrantedge.engine.search.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The selection as a user sees it, in fresh JVMs: without the module the engine runs on the scalar kernels
 * (and never links the Vector API class), with it on the Vector API kernels unless the property says scalar.
 */
class KernelSelectionProcessTest {

    @Test
    void withoutTheModuleTheScalarKernelsAreSelected() throws Exception {
        assertThat(probe()).isEqualTo("scalar");
    }

    @Test
    void withTheModuleTheVectorApiKernelsAreSelected() throws Exception {
        assertThat(probe("--add-modules", "jdk.incubator.vector")).matches("vector-api-\\d+");
    }

    @Test
    void thePropertyForcesTheScalarKernelsEvenWithTheModule() throws Exception {
        assertThat(probe("--add-modules", "jdk.incubator.vector", "-Dqdrant.edge.kernels=scalar"))
                .isEqualTo("scalar");
    }

    private static String probe(String... jvmArgs) throws IOException, InterruptedException, URISyntaxException {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        // Keep the child cheap: it only loads a handful of classes.
        command.add("-Xshare:auto");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(location(VectorKernels.class) + java.io.File.pathSeparator + location(KernelProbe.class));
        command.add(KernelProbe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        process.getOutputStream().close();
        byte[] stdout = process.getInputStream().readAllBytes();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("probe exit status; stderr: %s", stderr).isZero();
        return new String(stdout, StandardCharsets.UTF_8).trim();
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Paths.get(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
