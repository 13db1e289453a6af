package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.proto.v1.CancelRequest;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.ModelKind;
import io.fijigen.proto.v1.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The Engine service over real loopback gRPC, on the demo registry's tiny models. */
class EngineServiceTest extends LoopbackEngineTestBase {
    private static GenerateRequest.Builder fixtureRequest() {
        return WireRequests.fixtureRequest(session);
    }

    private static List<JobEvent> events(Iterator<JobEvent> stream) {
        return WireRequests.events(stream);
    }

    @Test
    void generateStreamsQueuedStartedProgressWithPreviewsAndTheFixtureImage() throws Exception {
        List<JobEvent> events = events(stub.generate(fixtureRequest().setPreviewEvery(2).build()));
        assertThat(events.get(0).hasQueued()).isTrue();
        assertThat(events.get(0).getQueued().getPosition()).isZero();
        assertThat(events.get(1).hasStarted()).isTrue();
        List<Integer> steps = new ArrayList<>();
        List<Integer> previews = new ArrayList<>();
        for (JobEvent event : events.subList(2, events.size() - 1)) {
            steps.add(event.getProgress().getStep());
            assertThat(event.getProgress().getTotal()).isEqualTo(5);
            if (!event.getProgress().getPreviewPng().isEmpty()) {
                previews.add(event.getProgress().getStep());
                BufferedImage preview = ImageIO.read(new ByteArrayInputStream(event.getProgress().getPreviewPng().toByteArray()));
                assertThat(preview.getWidth()).isEqualTo(16);
            }
        }
        assertThat(steps).containsExactly(1, 2, 3, 4, 5);
        assertThat(previews).containsExactly(2, 4, 5);
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.hasResult()).isTrue();
        Image image = last.getResult().getImages(0);
        assertThat(last.getResult().getSeeds(0)).isZero();
        assertThat(last.getResult().getParameters()).contains("Sampler: DDIM").contains("Model: tiny-sd15");
        // PNG quantisation: within one grey level of the reference's float pixels.
        double worst = WireRequests.maxDifference(image, session.golden("pipe.txt2img.ddim"));
        System.out.printf("grpc pipe.txt2img.ddim: max |png/255 - reference| = %.5f (limit 1/255 = %.5f)%n", worst,
                1 / 255.0);
        assertThat(worst).isLessThanOrEqualTo(1 / 255.0);
    }

    @Test
    void cancelMidRunEndsTheJobCancelledAndTheNextJobRuns() {
        Iterator<JobEvent> stream = stub.generate(fixtureRequest().setSteps(100).clearLatents().build());
        String jobId = stream.next().getQueued().getJobId();
        JobEvent event = stream.next();
        while (!event.hasProgress() || event.getProgress().getStep() < 2) {
            event = stream.next();
        }
        assertThat(stub.cancel(CancelRequest.newBuilder().setJobId(jobId).build()).getCancelled()).isTrue();
        assertThatThrownBy(() -> stream.forEachRemaining(e -> { }))
                .isInstanceOf(StatusRuntimeException.class)
                .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
                .isEqualTo(Status.Code.CANCELLED);
        List<JobEvent> next = events(stub.generate(fixtureRequest().setSteps(2).build()));
        assertThat(next.get(next.size() - 1).hasResult()).isTrue();
    }

    @Test
    void fiveClientsWithTwoQueueSlotsGiveThreeResultsInOrderAndTwoResourceExhausted() throws Exception {
        List<Iterator<JobEvent>> streams = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        int exhausted = 0;
        for (int i = 0; i < 5; i++) {
            Iterator<JobEvent> stream = stub.generate(fixtureRequest().setSteps(30).setPrompt("client " + i).build());
            try {
                JobEvent first = stream.next();
                accepted.add("client " + i + " at " + first.getQueued().getPosition());
                streams.add(stream);
            } catch (StatusRuntimeException e) {
                assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                assertThat(e.getStatus().getDescription()).contains("queue is full");
                exhausted++;
            }
        }
        assertThat(accepted).containsExactly("client 0 at 0", "client 1 at 1", "client 2 at 2");
        assertThat(exhausted).isEqualTo(2);
        List<String> finished = new ArrayList<>();
        for (Iterator<JobEvent> stream : streams) {
            List<JobEvent> events = events(stream);
            JobEvent result = events.get(events.size() - 1);
            assertThat(result.hasResult()).isTrue();
            finished.add(result.getResult().getParameters().split("\n")[0]);
        }
        assertThat(finished).containsExactly("client 0", "client 1", "client 2");
    }

    @Test
    void everyValidationRuleIsInvalidArgumentNamingTheField() {
        assertInvalid(fixtureRequest().setSteps(1001), "steps: 1001 is outside 1..1000");
        assertInvalid(fixtureRequest().setWidth(500), "width: 500 is not a multiple of 8 (try 496 or 504)");
        assertInvalid(fixtureRequest().setHeight(4096), "height: 4096 is outside 8..2048");
        assertInvalid(fixtureRequest().setGuidance(31), "guidance: 31 is outside 0..30");
        assertInvalid(fixtureRequest().setPrompt("x".repeat(1001)), "prompt: 1001 characters, more than 1000");
        assertInvalid(fixtureRequest().setScheduler("warp9"), "scheduler: unknown scheduler 'warp9'");
        assertInvalid(fixtureRequest().setSeed(-5), "seed: -5 is negative");
        assertInvalid(fixtureRequest().setInitImage(ByteString.copyFrom(new byte[] {1, 2, 3})), "init_image: ");
        assertInvalid(fixtureRequest().setLatents(Tensor.newBuilder().addShape(1).addShape(4)), "latents: shape [1, 4]");
        assertInvalid(fixtureRequest().setModelId("tiny-x4-upscaler"), "model_id: model 'tiny-x4-upscaler'");
        StatusRuntimeException missing = assertThrows(fixtureRequest().setModelId("nope"));
        assertThat(missing.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(missing.getStatus().getDescription()).startsWith("model_id: unknown model 'nope'");
    }

    @Test
    void strengthAndMaskRulesAreCheckedToo() throws Exception {
        ByteString image = WireRequests.png(128, 128, 0xffffff);
        assertInvalid(fixtureRequest().clearLatents().setInitImage(image).setStrength(1.5), "strength");
        assertInvalid(fixtureRequest().clearLatents().setInitImage(image).setMask(WireRequests.png(64, 64, 0xffffff)),
                "mask is 64x64 but the image is 128x128");
        assertInvalid(fixtureRequest().clearLatents().setInitImage(image).setMask(WireRequests.png(128, 128, 0)), "mask is empty");
    }

    @Test
    void aHugePngHeaderIsRefusedWithoutDecoding() {
        byte[] header = WireRequests.pngHeader(100_000, 100_000);
        assertInvalid(fixtureRequest().setInitImage(ByteString.copyFrom(header)),
                "init_image is 100000×100000 pixels; sides from 8 to 2048 are accepted here");
    }

    @Test
    void cannyReturnsTheFixtureEdges() throws Exception {
        byte[] rgb = session.golden("canny.input_rgb_u8").toByteArray();
        BufferedImage image = new BufferedImage(128, 128, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 128 * 128; i++) {
            image.setRGB(i % 128, i / 128, (rgb[3 * i] & 0xff) << 16 | (rgb[3 * i + 1] & 0xff) << 8 | (rgb[3 * i + 2] & 0xff));
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        Image edges = stub.canny(CannyRequest.newBuilder().setImage(ByteString.copyFrom(bytes.toByteArray()))
                .setLow(100).setHigh(200).build());
        BufferedImage map = ImageIO.read(new ByteArrayInputStream(edges.getPng().toByteArray()));
        byte[] expected = session.golden("canny.edges_100_200").toByteArray();
        int differing = 0;
        for (int i = 0; i < 128 * 128; i++) {
            if (map.getRaster().getSample(i % 128, i / 128, 0) != (expected[i] & 0xff)) {
                differing++;
            }
        }
        assertThat(differing).isZero();
    }

    @Test
    void listModelsShowsTheDemoRegistry() {
        ListModelsResponse models = stub.listModels(ListModelsRequest.getDefaultInstance());
        assertThat(models.getModelsList()).extracting(m -> m.getId() + ":" + m.getKind()).contains(
                "tiny-sd15:" + ModelKind.MODEL_KIND_SD15, "tiny-sd15-inpaint:" + ModelKind.MODEL_KIND_INPAINT,
                "tiny-controlnet-canny:" + ModelKind.MODEL_KIND_CONTROLNET,
                "tiny-x4-upscaler:" + ModelKind.MODEL_KIND_UPSCALER);
        // The models a ControlNet from Image dialog offers: those ControlNet units can guide.
        assertThat(models.getModelsList()).filteredOn(m -> m.getCapabilitiesList().contains(io.fijigen.proto.v1.Capability.CAPABILITY_CONTROLNET))
                .extracting(Model::getId).containsExactly("tiny-sd15", "tiny-sd2", "tiny-sd15-inpaint");
        assertThat(models.getSchedulersList()).contains("ddim", "euler_a");
        assertThat(models.getDevicesList()).extracting(d -> d.getName()).contains("cpu");
    }

    /**
     * What a job on each model gets for the fields it leaves unset: the registry's defaults where it
     * sets them (tiny-sd15: 4 steps, 128²), else the engine's table and the model's own size (its
     * UNet's sample_size 16 × the VAE's 8), and nothing for models used through their own fields.
     */
    @Test
    void listModelsReportsTheDefaultsAJobGets() {
        Map<String, Model> models = stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                .collect(Collectors.toMap(Model::getId, model -> model));
        assertThat(List.of(models.get("tiny-sd15").getDefaultSteps(), models.get("tiny-sd15").getDefaultWidth()))
                .containsExactly(4, 128);
        assertThat(List.of(models.get("tiny-sd2").getDefaultSteps(), models.get("tiny-sd2").getDefaultWidth(),
                models.get("tiny-sd2").getDefaultHeight())).containsExactly(RequestField.STEPS.defaultInt(), 128, 128);
        assertThat(List.of(models.get("tiny-x4-upscaler").getDefaultSteps(),
                models.get("tiny-x4-upscaler").getDefaultWidth())).containsExactly(RequestField.UPSCALE_STEPS.defaultInt(), 0);
        assertThat(List.of(models.get("tiny-controlnet-canny").getDefaultSteps(),
                models.get("tiny-controlnet-canny").getDefaultWidth())).containsExactly(0, 0);
    }


    private static StatusRuntimeException assertThrows(GenerateRequest.Builder request) {
        try {
            events(stub.generate(request.build()));
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private static void assertInvalid(GenerateRequest.Builder request, String message) {
        StatusRuntimeException error = assertThrows(request);
        assertThat(error.getStatus().getCode()).as(error.getStatus().toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(error.getStatus().getDescription()).contains(message);
    }
}
