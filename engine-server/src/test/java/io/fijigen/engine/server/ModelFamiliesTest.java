package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.Capability;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.Lora;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SDXL beside SD 1.x and 2.x, over loopback gRPC on a registry of the tiny models of every family:
 * ListModels reports each model's family and native size, and a ControlNet or LoRA made for another
 * family than the request's model is refused at admission, naming the field and both families.
 */
class ModelFamiliesTest {
    private static final Path MODELS = ParityFixtures.model("tiny-sd15").getParent().toAbsolutePath();
    /** The tiny models of every family, as a registry lists them: SDXL ones by the kinds they run as. */
    static final String REGISTRY = "roots: ['" + MODELS + "']\nmodels:\n"
            + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
            + "  - {id: tiny-sd2, kind: sd2, path: tiny-sd2}\n"
            + "  - {id: tiny-sdxl, kind: sdxl, path: tiny-sdxl}\n"
            + "  - {id: tiny-sdxl-inpaint, kind: inpaint, path: tiny-sdxl-inpaint}\n"
            + "  - {id: tiny-controlnet-canny, kind: controlnet, path: tiny-controlnet-canny}\n"
            + "  - {id: tiny-controlnet-sdxl, kind: controlnet, path: tiny-controlnet-sdxl}\n"
            + "  - {id: tiny-lora, kind: lora, path: tiny-lora-kohya.safetensors}\n"
            + "  - {id: tiny-lora-sdxl, kind: lora, path: tiny-lora-sdxl-kohya.safetensors}\n"
            + "  - {id: tiny-x4-upscaler, kind: upscaler, path: tiny-x4-upscaler}\n";

    @TempDir
    static Path dir;
    static LoopbackEngine engine;
    static EngineGrpc.EngineBlockingStub stub;

    @BeforeAll
    static void startEngine() throws Exception {
        engine = new LoopbackEngine(Files.writeString(dir.resolve("registry.yaml"), REGISTRY), 2);
        stub = EngineGrpc.newBlockingStub(engine.channel);
    }

    @AfterAll
    static void stopEngine() throws Exception {
        engine.close();
    }

    /**
     * SDXL jobs over the wire: the fixture's txt2img with no negative prompt (zeros, as the field's
     * presence says) and with size conditioning at its defaults, within one grey level of the reference.
     */
    @Test
    void sdxlGeneratesTheReferenceOverGrpc() throws Exception {
        try (ParityFixtures.Session session = new ParityFixtures.Session()) {
            GenerateRequest.Builder request = WireRequests.fixtureRequest(session).setModelId("tiny-sdxl")
                    .setGuidance(5).clearScheduler().setLatents(WireRequests.tensor(session.golden("xl.latents")));
            check(session, "xlpipe.txt2img.euler", request.clone()
                    .setOriginalSize(io.fijigen.proto.v1.Size.newBuilder().setWidth(128).setHeight(128))
                    .setCropTopLeft(io.fijigen.proto.v1.Offset.getDefaultInstance()));
            check(session, "xlpipe.txt2img.euler.neg_none", request.clone().clearNegativePrompt());
            check(session, "xlpipe.txt2img.euler.neg_empty", request.clone().setNegativePrompt(""));
        }
    }

    private static void check(ParityFixtures.Session session, String fixture, GenerateRequest.Builder request)
            throws Exception {
        List<io.fijigen.proto.v1.JobEvent> events = WireRequests.events(stub.generate(request.build()));
        io.fijigen.proto.v1.Image image = events.get(events.size() - 1).getResult().getImages(0);
        double worst = WireRequests.maxDifference(image, session.golden(fixture));
        System.out.printf("grpc %s: max |png/255 - reference| = %.5f%n", fixture, worst);
        assertThat(worst).isLessThanOrEqualTo(1 / 255.0);
    }

    /** Native sizes are the tiny UNets' sample_size 16 × their VAE's 8; none for what runs no job of its own. */
    @Test
    void listModelsReportsEachModelsFamilyAndNativeSize() {
        Map<String, Model> models = stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                .collect(Collectors.toMap(Model::getId, model -> model));

        assertThat(models.values()).extracting(m -> m.getId() + " " + m.getFamily() + " " + m.getNativeSize())
                .containsExactlyInAnyOrder("tiny-sd15 sd15 128", "tiny-sd2 sd2 128", "tiny-sdxl sdxl 128",
                        "tiny-sdxl-inpaint sdxl-inpaint 128", "tiny-controlnet-canny sd15 0",
                        "tiny-controlnet-sdxl sdxl 0", "tiny-lora sd 0", "tiny-lora-sdxl sdxl 0",
                        "tiny-x4-upscaler x4-upscaler 0");
        Model sdxl = models.get("tiny-sdxl");
        assertThat(sdxl.getKind()).isEqualTo(ModelKind.MODEL_KIND_SDXL);
        assertThat(sdxl.getCapabilitiesList()).containsExactly(Capability.CAPABILITY_TXT2IMG,
                Capability.CAPABILITY_IMG2IMG, Capability.CAPABILITY_INPAINT, Capability.CAPABILITY_CONTROLNET);
        assertThat(List.of(sdxl.getDefaultWidth(), sdxl.getDefaultHeight())).containsExactly(128, 128);
        assertThat(models.get("tiny-sdxl-inpaint").getCapabilitiesList())
                .containsExactly(Capability.CAPABILITY_INPAINT, Capability.CAPABILITY_CONTROLNET);
    }

    @Test
    void aControlNetOfAnotherFamilyIsRefusedNamingBoth() {
        assertRefused(request("tiny-sd15").addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-sdxl")),
                "controls[0].model_id: ControlNet 'tiny-controlnet-sdxl' is made for sdxl models, not for model"
                        + " 'tiny-sd15' (sd15): choose a ControlNet made for sd15");
        // The second unit is refused, the first fits: an inpainting model takes its base family's.
        assertRefused(request("tiny-sdxl-inpaint").setInitImage(WireRequests.png(128, 128, 0x808080))
                        .setMask(WireRequests.png(128, 128, 0xffffff))
                        .addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-sdxl"))
                        .addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-canny")),
                "controls[1].model_id: ControlNet 'tiny-controlnet-canny' is made for sd15 models, not for model"
                        + " 'tiny-sdxl-inpaint' (sdxl-inpaint): choose a ControlNet made for sdxl");
    }

    @Test
    void aLoraOfAnotherFamilyIsRefusedNamingBothByFieldAndByTag() {
        assertRefused(request("tiny-sd2").addLoras(Lora.newBuilder().setId("tiny-lora-sdxl")),
                "loras[0].id: LoRA 'tiny-lora-sdxl' is made for sdxl models, not for model 'tiny-sd2' (sd2):"
                        + " choose a LoRA made for sd2");
        assertRefused(request("tiny-sdxl").setPrompt("a city <lora:tiny-lora:0.5>"),
                "prompt: <lora:tiny-lora:0.5>: LoRA 'tiny-lora' is made for sd models, not for model 'tiny-sdxl'"
                        + " (sdxl): choose a LoRA made for sdxl");
    }

    /** What the service admits, checked by the translator it uses (SDXL jobs are the pipelines' to run). */
    @Test
    void aControlNetAndLoraOfTheModelsFamilyAreAdmitted() throws Exception {
        RequestTranslator translator = new RequestTranslator(engine.models.catalogue());
        RequestTranslator.Generation sdxl = translator.generation(request("tiny-sdxl")
                .setPrompt("a city <lora:tiny-lora-sdxl:0.5>")
                .addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-sdxl")
                        .setImage(WireRequests.png(128, 128, 0xffffff))).build());

        assertThat(sdxl.controlIds()).containsExactly("tiny-controlnet-sdxl");
        assertThat(sdxl.request().loras()).extracting(lora -> lora.name()).containsExactly("tiny-lora-sdxl");
        assertThat(List.of(sdxl.request().width(), sdxl.request().height())).containsExactly(128, 128);
        // A LoRA whose layers say "SD 1.x or 2.x" fits either.
        RequestTranslator.Generation sd2 = translator.generation(request("tiny-sd2")
                .addLoras(Lora.newBuilder().setId("tiny-lora")).build());
        assertThat(sd2.request().loras()).extracting(lora -> lora.name()).containsExactly("tiny-lora");
    }

    private static GenerateRequest.Builder request(String model) {
        return GenerateRequest.newBuilder().setModelId(model).setPrompt("a city").setSteps(2);
    }

    private static void assertRefused(GenerateRequest.Builder request, String message) {
        try {
            WireRequests.events(stub.generate(request.build()));
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getCode()).as(e.getStatus().toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(e.getStatus().getDescription()).isEqualTo(message);
            return;
        }
        throw new AssertionError("expected INVALID_ARGUMENT: " + message);
    }
}
