package io.fijigen.engine;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.model.StableDiffusion;
import java.io.IOException;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A tiny fixture pipeline for a whole test class, loaded on the CPU before its first test and
 * closed after its last: {@code @RegisterExtension static final TinyModel sd15 = new TinyModel("tiny-sd15");},
 * then {@code sd15.get()} in the tests.
 */
public final class TinyModel implements BeforeAllCallback, AfterAllCallback {
    private final String name;
    private final DataType dtype;
    private StableDiffusion model;

    /** The fixture {@code name} (a folder of {@link ParityFixtures#model}) in float32. */
    public TinyModel(String name) {
        this(name, DataType.FLOAT32);
    }

    public TinyModel(String name, DataType dtype) {
        this.name = name;
        this.dtype = dtype;
    }

    /** The fixture {@code name} in float32 on the CPU, for a test that needs a copy of its own. */
    public static StableDiffusion load(String name) throws IOException {
        return load(name, DataType.FLOAT32);
    }

    public static StableDiffusion load(String name, DataType dtype) throws IOException {
        return StableDiffusion.load(ParityFixtures.model(name), Device.cpu(), dtype);
    }

    public StableDiffusion get() {
        if (model == null) {
            throw new IllegalStateException(name + " is loaded for a test class: register it in a static field");
        }
        return model;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        model = load(name, dtype);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (model != null) {
            model.close();
        }
    }
}
