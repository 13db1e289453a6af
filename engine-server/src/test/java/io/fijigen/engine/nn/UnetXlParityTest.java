package io.fijigen.engine.nn;

import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tiny-sdxl's UNet (a DownBlock2D first level, 1/2/3 transformer layers per level, the text_time
 * embedding) on {@code unetxl.sample}, {@code unetxl.ehs} and the added conditions {@code
 * unetxl.text_embeds}, {@code unetxl.time_ids} (two different rows of time ids).
 */
class UnetXlParityTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();

    static AddedConditions added() {
        return new AddedConditions(session.golden("unetxl.text_embeds"), session.golden("unetxl.time_ids"));
    }

    @ParameterizedTest(name = "t{0}")
    @ValueSource(ints = {999, 500, 1})
    void output(int t) throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sdxl").unet(session.manager, DataType.FLOAT32);
        NDArray out = unet.forward(session.golden("unetxl.sample"), session.manager.create((float) t),
                session.golden("unetxl.ehs"), null, null, added(), null);
        assertModuleClose("unetxl.out_t" + t, out, session.golden("unetxl.out_t" + t));
    }

    @Test
    void inpaintT500() throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sdxl-inpaint").unet(session.manager, DataType.FLOAT32);
        NDArray out = unet.forward(session.golden("unetxl_inpaint.sample"), session.manager.create(500f),
                session.golden("unetxl.ehs"), null, null, added(), null);
        assertModuleClose("unetxl_inpaint.out_t500", out, session.golden("unetxl_inpaint.out_t500"));
    }

    /** {@code controlnetxl.unetxl_out_t500}: the same UNet with the fixture's 9 + 1 ControlNet residuals added. */
    @Test
    void controlNetResidualsT500() throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sdxl").unet(session.manager, DataType.FLOAT32);
        List<NDArray> down = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            down.add(session.golden("controlnetxl.down" + i));
        }
        NDArray out = unet.forward(session.golden("unetxl.sample"), session.manager.create(500f),
                session.golden("unetxl.ehs"), null, null, added(),
                new UNetResiduals(down, session.golden("controlnetxl.mid")));
        assertModuleClose("controlnetxl.unetxl_out_t500", out, session.golden("controlnetxl.unetxl_out_t500"));
    }

    /**
     * The fp16 UNet as an fp16 pipeline feeds it: latents and time ids in float32, text and pooled
     * text in fp16 (the encoders' type). The added embedding takes the network's type as the
     * reference casts it; the output agrees with float32 within fp16's precision.
     */
    @Test
    void halfPrecisionMatchesFloat32() throws Exception {
        NDArray sample = session.golden("unetxl.sample");
        NDArray t = session.manager.create(500f);
        UNet2DConditionModel half = ParityFixtures.folder("tiny-sdxl").unet(session.manager, DataType.FLOAT16);
        NDArray out = half.forward(sample, t, session.golden("unetxl.ehs").toType(DataType.FLOAT16, false), null, null,
                new AddedConditions(session.golden("unetxl.text_embeds").toType(DataType.FLOAT16, false),
                        session.golden("unetxl.time_ids")), null);
        assertThat(out.getDataType()).isEqualTo(DataType.FLOAT16);
        NDArray reference = session.golden("unetxl.out_t500");
        double diff = ParityFixtures.maxAbs(out.toType(DataType.FLOAT32, false).sub(reference));
        System.out.printf("unetxl.out_t500 in fp16: max|fp16 - float32 reference| = %.3e%n", diff);
        assertThat(diff).isLessThan(1e-2 * Math.max(1, ParityFixtures.maxAbs(reference)));
    }

    @Test
    void addedConditionsAreRequiredAndChecked() throws Exception {
        UNet2DConditionModel unet = ParityFixtures.folder("tiny-sdxl").unet(session.manager, DataType.FLOAT32);
        NDArray sample = session.golden("unetxl.sample");
        NDArray text = session.golden("unetxl.ehs");
        assertThatThrownBy(() -> unet.forward(sample, session.manager.create(500f), text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs text_embeds and time_ids");
        // Five time ids (the refiner's micro-conditioning) do not fit this model's add_embedding.
        NDArray fiveIds = session.golden("unetxl.time_ids").get(":, :5");
        assertThatThrownBy(() -> unet.forward(sample, session.manager.create(500f), text, null, null,
                new AddedConditions(session.golden("unetxl.text_embeds"), fiveIds), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embed to 72 values")
                .hasMessageContaining("takes 80");
        UNet2DConditionModel sd15 = ParityFixtures.folder("tiny-sd15").unet(session.manager, DataType.FLOAT32);
        assertThatThrownBy(() -> sd15.forward(session.golden("unet.sample"), session.manager.create(500f),
                session.golden("unet.ehs"), null, null, added(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("takes no added conditions");
        assertThat(unet.config().textTime().timeEmbedDim()).isEqualTo(8);
    }
}
