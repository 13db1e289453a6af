package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.weights.StateDict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code te15.*} (quick_gelu, {@code text_model.} keys) and {@code te2.*} (gelu, bare keys). */
class TextEncoderParityTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"te15, tiny-sd15", "te2, tiny-sd2"})
    void outputs(String fixture, String model) throws Exception {
        try (NDManager manager = NDManager.newBaseManager();
                StateDict goldens = ParityFixtures.goldens(manager)) {
            CLIPTextModel encoder = ParityFixtures.folder(model).textEncoder(manager, DataType.FLOAT32);
            CLIPTextModel.Output out = encoder.forward(goldens.get(fixture + ".input_ids"));
            assertModuleClose(fixture + ".last_hidden_state", out.lastHiddenState(), goldens.get(fixture + ".last_hidden_state"));
            assertModuleClose(fixture + ".pooler_output", out.pooledOutput(), goldens.get(fixture + ".pooler_output"));
            assertModuleClose(fixture + ".penultimate_normed", encoder.encode(goldens.get(fixture + ".input_ids"), 2),
                    goldens.get(fixture + ".penultimate_normed"));
        }
    }
}
