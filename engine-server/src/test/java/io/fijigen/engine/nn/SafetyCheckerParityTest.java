package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonParser;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelFolder;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** {@code safety.image_embeds}, {@code cos_dist}, {@code special_cos_dist} and the flags, from the golden clip input. */
class SafetyCheckerParityTest {

    @Test
    void outputsAndVerdict() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            StableDiffusionSafetyChecker checker = ModelFolder.loadSafetyChecker(
                    ParityFixtures.model("tiny-safety-checker"), session.manager, DataType.FLOAT32);

            StableDiffusionSafetyChecker.Output out = checker.forward(session.golden("safety.clip_input"));

            assertModuleClose("safety.image_embeds", out.imageEmbeds(), session.golden("safety.image_embeds"));
            assertModuleClose("safety.cos_dist", out.cosDist(), session.golden("safety.cos_dist"));
            assertModuleClose("safety.special_cos_dist", out.specialCosDist(),
                    session.golden("safety.special_cos_dist"));
            var expected = JsonParser.parseString(Files.readString(ParityFixtures.ROOT.resolve("goldens.json")))
                    .getAsJsonObject().getAsJsonArray("safety_has_nsfw");
            assertThat(expected).hasSize(1);
            assertThat(checker.hasNsfwConcept(out)).containsExactly(expected.get(0).getAsBoolean());
        }
    }
}
