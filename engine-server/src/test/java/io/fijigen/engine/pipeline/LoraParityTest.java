package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.assertClose;
import static io.fijigen.engine.ParityFixtures.assertModuleClose;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.weights.LoraWeight;
import io.fijigen.engine.weights.Parameter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code te15.lora075.last_hidden_state} and {@code pipe.lora075_unet_only.ddim}: tiny-lora-kohya
 * merged into tiny-sd15 at 0.75, and taken out again bit for bit.
 */
class LoraParityTest {
    static final Path KOHYA = ParityFixtures.model("tiny-lora-kohya.safetensors");

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel sd15 = new TinyModel("tiny-sd15");

    @AfterEach
    void unmerge() {
        sd15.get().loras().restore();
    }

    @Test
    void te15Lora075() throws Exception {
        sd15.get().loras().set(List.of(LoraWeight.of("tiny", KOHYA, 0.75)));
        NDArray ids = session.golden("te15.input_ids");
        assertModuleClose("te15.lora075.last_hidden_state", sd15.get().textEncoder().forward(ids).lastHiddenState(),
                session.golden("te15.lora075.last_hidden_state"));
    }

    @Test
    void pipeLora075UnetOnlyDdim() {
        GenerationResult result = Pipelines.generate(sd15.get(), unetOnly(fixtureRequest()).build(), StepListener.NONE);
        assertClose("pipe.lora075_unet_only.ddim", result.images().toNDArray(session.manager),
                session.golden("pipe.lora075_unet_only.ddim"), 1e-3);
        assertThat(result.parameters(Optional.empty()))
                .startsWith("A cyberpunk city, neon lights <lora:tiny:0:0.75>\n");
    }

    /**
     * Both networks at 0.75 in one job equal the text-encoder half and the UNet half merged from two
     * files (each half checked against its golden above), and differ from the UNet alone.
     */
    @Test
    void bothNetworksAt075AreTheTwoHalvesTogether() throws Exception {
        HostTensor both = Pipelines.generate(sd15.get(), fixtureRequest().lora(LoraWeight.of("tiny", KOHYA, 0.75))
                .build(), StepListener.NONE).images();
        HostTensor halves = Pipelines.generate(sd15.get(), fixtureRequest()
                .lora(new LoraWeight("te", KOHYA, 0.75, 0))
                .lora(new LoraWeight("unet", KOHYA, 0, 0.75))
                .build(), StepListener.NONE).images();
        HostTensor unetOnly = Pipelines.generate(sd15.get(), unetOnly(fixtureRequest()).build(), StepListener.NONE)
                .images();
        assertThat(both.data()).isEqualTo(halves.data());
        double textEffect = ParityFixtures.maxAbs(both.toNDArray(session.manager).sub(unetOnly.toNDArray(session.manager)));
        System.out.printf("LoRA text-encoder half changes the image by max %.3e%n", textEffect);
        assertThat(textEffect).isGreaterThan(1e-2);
    }

    @Test
    void restoringGivesTheLoadedTensorsBack() throws Exception {
        Map<String, NDArray> loaded = new HashMap<>();
        allParameters().forEach((key, parameter) -> loaded.put(key, parameter.get()));
        sd15.get().loras().set(List.of(LoraWeight.of("tiny", KOHYA, 0.75)));
        long replaced = allParameters().entrySet().stream()
                .filter(e -> e.getValue().get() != loaded.get(e.getKey())).count();
        assertThat(replaced).as("weights the fixture LoRA touches").isEqualTo(146);

        sd15.get().loras().set(List.of());
        assertThat(sd15.get().loras().current()).isEmpty();
        try (StableDiffusion fresh = TinyModel.load("tiny-sd15")) {
            Map<String, Parameter> freshParameters = new HashMap<>(fresh.unet().parameters());
            fresh.textEncoder().parameters().forEach((key, value) -> freshParameters.put("te:" + key, value));
            allParameters().forEach((key, parameter) -> {
                assertThat(parameter.get()).as(key).isSameAs(loaded.get(key));
                assertThat(parameter.get().contentEquals(freshParameters.get(key).get())).as(key).isTrue();
            });
        }
    }

    @Test
    void aLoraFreeJobAfterALoraJobEqualsTheFirstRunBitForBit() {
        GenerationRequest plain = fixtureRequest().build();
        HostTensor before = Pipelines.generate(sd15.get(), plain, StepListener.NONE).images();
        Pipelines.generate(sd15.get(), fixtureRequest().lora(LoraWeight.of("tiny", KOHYA, 0.75)).build(),
                StepListener.NONE);
        HostTensor after = Pipelines.generate(sd15.get(), plain, StepListener.NONE).images();
        assertThat(after.data()).isEqualTo(before.data());
        assertClose("pipe.txt2img.ddim (after a LoRA job)", after.toNDArray(session.manager),
                session.golden("pipe.txt2img.ddim"), 1e-3);
    }

    private Map<String, Parameter> allParameters() {
        Map<String, Parameter> all = new HashMap<>(sd15.get().unet().parameters());
        sd15.get().textEncoder().parameters().forEach((key, value) -> all.put("te:" + key, value));
        return all;
    }

    private static GenerationRequest.Builder fixtureRequest() {
        return PipelineParityTest.fixtureRequest()
                .scheduler("ddim")
                .latents(HostTensor.of(session.golden("pipe.latents")));
    }

    private static GenerationRequest.Builder unetOnly(GenerationRequest.Builder request) {
        return request.lora(new LoraWeight("tiny", KOHYA, 0, 0.75));
    }
}
