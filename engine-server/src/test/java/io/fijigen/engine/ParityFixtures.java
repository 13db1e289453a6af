package io.fijigen.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.StateDict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The parity fixtures (test resources {@code parity/}, see its README and README-xl): the tiny
 * models and the reference tensors of {@code goldens.safetensors} and {@code goldens-xl.safetensors}
 * (no name is in both), plus the README's tolerance checks.
 */
public final class ParityFixtures {
    public static final Path ROOT = locate();

    private ParityFixtures() {}

    public static Path model(String name) {
        return ROOT.resolve("models").resolve(name);
    }

    public static ModelFolder folder(String name) {
        try {
            return ModelFolder.open(model(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A manager and the reference tensors in it: for one test in a try-with-resources, or for a
     * whole test class as a static field of that class, closed after its last test:
     * {@code @RegisterExtension static final ParityFixtures.Session session = new ParityFixtures.Session();}
     *
     * <p>As a field it is made when its class initializes, which a static helper of the class used
     * by another test also does: that costs little, the goldens file is only mapped until a tensor
     * is read. Not in a base class: its one session would be closed after the first subclass.
     */
    public static final class Session implements AutoCloseable, AfterAllCallback {
        public final NDManager manager = NDManager.newBaseManager();
        private final StateDict goldens = goldens(manager);

        public NDArray golden(String name) {
            return goldens.get(name);
        }

        @Override
        public void close() {
            goldens.close();
            manager.close();
        }

        @Override
        public void afterAll(ExtensionContext context) {
            close();
        }
    }

    /** The reference tensors, each loaded into {@code manager} when first read (floats as float32). */
    private static StateDict goldens(NDManager manager) {
        try {
            return StateDict.open(List.of(ROOT.resolve("goldens.safetensors"), ROOT.resolve("goldens-xl.safetensors")),
                    manager, DataType.FLOAT32);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The README's module tolerance: max |ours − ref| ≤ 1e-4 · max(1, max |ref|). */
    public static double assertModuleClose(String name, NDArray ours, NDArray reference) {
        return assertClose(name, ours, reference, 1e-4 * Math.max(1, maxAbs(reference)));
    }

    /** Asserts shape and max |ours − ref| ≤ tolerance, printing the measured difference. */
    public static double assertClose(String name, NDArray ours, NDArray reference, double tolerance) {
        assertThat(ours.getShape()).as(name + " shape").isEqualTo(reference.getShape());
        double diff = maxAbs(ours.toType(DataType.FLOAT64, false).sub(reference.toType(DataType.FLOAT64, false)));
        System.out.printf("parity %-36s max|diff| = %.3e (tolerance %.1e)%n", name, diff, tolerance);
        assertThat(diff).as(name + " max |ours - reference|").isLessThanOrEqualTo(tolerance);
        return diff;
    }

    /** max |a − b| over two host tensors of one shape: 0 where two runs give the same image exactly. */
    public static double maxDifference(HostTensor a, HostTensor b) {
        assertThat(a.shape()).isEqualTo(b.shape());
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs(a.data()[i] - b.data()[i]));
        }
        return max;
    }

    public static double maxAbs(NDArray array) {
        return array.abs().max().toType(DataType.FLOAT64, false).getDouble();
    }

    private static Path locate() {
        for (Path candidate : List.of(Path.of("src/test/resources/parity"), Path.of("engine-server/src/test/resources/parity"))) {
            if (Files.isDirectory(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("parity fixtures not found under src/test/resources/parity");
    }
}
