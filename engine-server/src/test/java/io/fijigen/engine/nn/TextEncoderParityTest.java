package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;

import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code te15.*} (quick_gelu, {@code text_model.} keys) and {@code te2.*} (gelu, bare keys). */
class TextEncoderParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    @ParameterizedTest(name = "{0}")
    @CsvSource({"te15, tiny-sd15", "te2, tiny-sd2"})
    void outputs(String fixture, String model) throws Exception {
        CLIPTextModel encoder = ParityFixtures.folder(model).textEncoder(session.manager, DataType.FLOAT32);
        CLIPTextModel.Output out = encoder.forward(session.golden(fixture + ".input_ids"));
        assertModuleClose(fixture + ".last_hidden_state", out.lastHiddenState(),
                session.golden(fixture + ".last_hidden_state"));
        assertModuleClose(fixture + ".pooler_output", out.pooledOutput(), session.golden(fixture + ".pooler_output"));
        assertModuleClose(fixture + ".penultimate_normed", encoder.encode(session.golden(fixture + ".input_ids"), 2),
                session.golden(fixture + ".penultimate_normed"));
    }
}
