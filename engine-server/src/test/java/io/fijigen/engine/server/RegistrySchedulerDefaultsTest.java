package io.fijigen.engine.server;

import static io.fijigen.engine.ParityFixtures.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.pipeline.HiresUpscaler;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Hires;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.UpscaleRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry entry's default_timestep_spacing and default_eta, through a loopback server: a request
 * that leaves them unset gets the image of one that sets them, for generate and upscale alike, and
 * ListModels shows them. Each model is registered twice, with and without the defaults, so that the
 * defaults are seen to change the image.
 */
class RegistrySchedulerDefaultsTest {
    @TempDir
    static Path dir;

    private static LoopbackEngine engine;

    @BeforeAll
    static void start() throws Exception {
        Path registry = Files.writeString(dir.resolve("registry.yaml"), "roots:\n  - "
                + ParityFixtures.ROOT.resolve("models") + "\n"
                + "models:\n"
                + "  - {id: ddim-trailing, kind: sd15, path: tiny-sd15, default_scheduler: ddim, default_steps: 4,"
                + " default_width: 64, default_height: 64, default_eta: 0.3, default_timestep_spacing: trailing}\n"
                + "  - {id: ddim, kind: sd15, path: tiny-sd15, default_scheduler: ddim, default_steps: 4,"
                + " default_width: 64, default_height: 64}\n"
                + "  - {id: x4-trailing, kind: upscaler, path: tiny-x4-upscaler, default_steps: 4, default_eta: 0.3,"
                + " default_timestep_spacing: trailing}\n"
                + "  - {id: x4, kind: upscaler, path: tiny-x4-upscaler, default_steps: 4}\n");
        engine = new LoopbackEngine(registry, 2);
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
    }

    private static EngineGrpc.EngineBlockingStub stub() {
        return EngineGrpc.newBlockingStub(engine.channel).withDeadlineAfter(120, TimeUnit.SECONDS);
    }

    private static GenerateRequest.Builder generate(String model) {
        return GenerateRequest.newBuilder().setModelId(model).setPrompt("a cat").setSeed(7).setFloatOutput(true);
    }

    private static UpscaleRequest.Builder upscale(String model) {
        float[] image = new float[3 * 16 * 16];
        for (int i = 0; i < image.length; i++) {
            image[i] = (i * 37 % 101) / 100f;
        }
        return UpscaleRequest.newBuilder().setModelId(model).setPrompt("a cat").setSeed(7).setFloatOutput(true)
                .setImageTensor(WireTensors.of(new HostTensor(image, new long[] {1, 3, 16, 16})));
    }

    private static HostTensor pixels(Iterator<JobEvent> stream) {
        List<JobEvent> events = WireRequests.events(stream);
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.hasResult()).as(last.toString()).isTrue();
        return WireTensors.of("pixels", last.getResult().getPixels());
    }

    @Test
    void aGenerationThatLeavesThemUnsetGetsTheImageOfOneThatSetsThem() {
        HostTensor unset = pixels(stub().generate(generate("ddim-trailing").build()));
        HostTensor explicit = pixels(stub().generate(generate("ddim-trailing").setTimestepSpacing("trailing")
                .setEta(0.3).build()));
        HostTensor withoutDefaults = pixels(stub().generate(generate("ddim").build()));
        double same = maxDifference(unset, explicit);
        double moved = maxDifference(unset, withoutDefaults);
        System.out.printf("generate, registry spacing/eta vs given: max |diff| %.3e; vs none: %.3e%n", same, moved);
        assertThat(same).isZero();
        assertThat(moved).isGreaterThan(1e-3);
    }

    /** euler reads a spacing but no eta: the model's eta is left out rather than refused. */
    @Test
    void aSchedulerThatReadsNoEtaTakesTheSpacingAlone() {
        HostTensor euler = pixels(stub().generate(generate("ddim-trailing").setScheduler("euler").build()));
        HostTensor byHand = pixels(stub().generate(generate("ddim").setScheduler("euler")
                .setTimestepSpacing("trailing").build()));
        System.out.printf("generate euler, registry spacing vs given: max |diff| %.3e%n", maxDifference(euler, byHand));
        assertThat(euler.data()).containsExactly(byHand.data());
    }

    @Test
    void anUpscaleThatLeavesThemUnsetGetsTheImageOfOneThatSetsThem() {
        HostTensor unset = pixels(stub().upscale(upscale("x4-trailing").build()));
        HostTensor explicit = pixels(stub().upscale(upscale("x4-trailing").setTimestepSpacing("trailing").setEta(0.3)
                .build()));
        HostTensor withoutDefaults = pixels(stub().upscale(upscale("x4").build()));
        double same = maxDifference(unset, explicit);
        double moved = maxDifference(unset, withoutDefaults);
        System.out.printf("x4 upscale, registry spacing/eta vs given: max |diff| %.3e; vs none: %.3e%n", same, moved);
        assertThat(same).isZero();
        assertThat(moved).isGreaterThan(1e-3);
    }

    /** A hires fix's x4 pass takes the upscaler's own defaults, as an upscale with that model does. */
    @Test
    void aHiresFixsX4PassTakesTheUpscalersDefaults() throws Exception {
        RequestTranslator translator = new RequestTranslator(new ModelCatalogue(RegistryConfig.read(
                dir.resolve("registry.yaml"))));
        GenerateRequest.Builder hires = generate("ddim").setWidth(32).setHeight(32).setSteps(2)
                .setHires(Hires.newBuilder().setScale(2).setSteps(2).setUpscaler("x4-trailing"));
        HiresUpscaler.X4 x4 = (HiresUpscaler.X4) translator.generation(hires.build()).request().hires().upscaler();
        assertThat(x4.scheduler().timestepSpacing()).isEqualTo("trailing");
        assertThat(x4.scheduler().eta()).hasValue(0.3);

        HostTensor withDefaults = pixels(stub().generate(hires.build()));
        hires.getHiresBuilder().setUpscaler("x4");
        double moved = maxDifference(withDefaults, pixels(stub().generate(hires.build())));
        System.out.printf("hires fix, x4 pass with the upscaler's spacing/eta vs without: max |diff| %.3e%n", moved);
        assertThat(moved).isGreaterThan(1e-3);
    }

    @Test
    void listModelsShowsThem() {
        Map<String, Model> models = stub().listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                .collect(Collectors.toMap(Model::getId, Function.identity()));
        for (String id : List.of("ddim-trailing", "x4-trailing")) {
            assertThat(models.get(id).getDefaultTimestepSpacing()).as(id).isEqualTo("trailing");
            assertThat(models.get(id).hasDefaultEta()).as(id).isTrue();
            assertThat(models.get(id).getDefaultEta()).as(id).isEqualTo(0.3);
        }
        for (String id : List.of("ddim", "x4")) {
            assertThat(models.get(id).getDefaultTimestepSpacing()).as(id).isEmpty();
            assertThat(models.get(id).hasDefaultEta()).as(id).isFalse();
        }
    }
}
