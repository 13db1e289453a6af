package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import io.fijigen.engine.text.ClipTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * tiny-sdxl's two text encoders on the prompt "A cyberpunk city, neon lights": {@code tel.*}
 * ({@code text_encoder}, CLIPTextModel, quick_gelu) and {@code teg.*} ({@code text_encoder_2},
 * CLIPTextModelWithProjection, gelu). Both configs say eos_token_id 2, so the pooled row is the
 * highest id's, the first EOS.
 */
class TextEncoderXlParityTest {
    private static final String PROMPT = "A cyberpunk city, neon lights";

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    /** Each tokenizer gives its encoder's ids: {@code tokenizer} pads with EOS, {@code tokenizer_2} with "!" (0). */
    @Test
    void tokenizersGiveTheFixtureIds() throws Exception {
        ModelFolder folder = ParityFixtures.folder("tiny-sdxl");
        long[] tel = ClipTokenizer.load(folder.component("tokenizer")).encodePadded(PROMPT, 77);
        long[] teg = ClipTokenizer.load(folder.component("tokenizer_2")).encodePadded(PROMPT, 77);
        assertThat(tel).containsExactly(session.golden("tel.input_ids").toLongArray());
        assertThat(teg).containsExactly(session.golden("teg.input_ids").toLongArray());
        assertThat(teg[76]).isZero();
        assertThat(tel[76]).isEqualTo(49407);
    }

    @Test
    void textEncoder() throws Exception {
        CLIPTextModel encoder = ParityFixtures.folder("tiny-sdxl").textEncoder(session.manager, DataType.FLOAT32);
        NDArray ids = session.golden("tel.input_ids");
        assertModuleClose("tel.penultimate", encoder.hiddenStates(ids, 2, null), session.golden("tel.penultimate"));
        assertModuleClose("tel.last_hidden_state", encoder.forward(ids).lastHiddenState(),
                session.golden("tel.last_hidden_state"));
    }

    @Test
    void textEncoder2() throws Exception {
        CLIPTextModelWithProjection encoder =
                ParityFixtures.folder("tiny-sdxl").textEncoder2(session.manager, DataType.FLOAT32);
        NDArray ids = session.golden("teg.input_ids");
        assertModuleClose("teg.penultimate", encoder.textModel().hiddenStates(ids, 2, null),
                session.golden("teg.penultimate"));
        CLIPTextModelWithProjection.Output out = encoder.forward(ids);
        assertModuleClose("teg.last_hidden_state", out.lastHiddenState(), session.golden("teg.last_hidden_state"));
        assertModuleClose("teg.text_embeds", out.textEmbeds(), session.golden("teg.text_embeds"));
    }
}
