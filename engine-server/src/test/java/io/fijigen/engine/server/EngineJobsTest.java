package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Upscale jobs, deadlines and unsupported features over loopback gRPC. */
class EngineJobsTest extends LoopbackEngineTestBase {
    /** An NCHW [1, 3, H, W] float image in [0, 1] as an 8-bit PNG. */
    private static ByteString png(float[] nchw, int height, int width) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int at = 0; at < plane; at++) {
            int r = Math.round(nchw[at] * 255);
            int g = Math.round(nchw[plane + at] * 255);
            int b = Math.round(nchw[2 * plane + at] * 255);
            image.setRGB(at % width, at / width, r << 16 | g << 8 | b);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return ByteString.copyFrom(bytes.toByteArray());
    }

    private static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    @Test
    void upscaleRunsTheX4ModelAndReportsItsSteps() throws Exception {
        ByteString lowRes = png(session.golden("upscale.low_res").toFloatArray(), 32, 32);
        List<JobEvent> events = WireRequests.events(stub.upscale(UpscaleRequest.newBuilder()
                .setModelId("tiny-x4-upscaler").setImage(lowRes).setPrompt("a sharp photo").setNegativePrompt("blurry")
                .setSteps(5).setGuidance(9).setNoiseLevel(20).setSeed(25)
                .setLatents(WireRequests.tensor(session.golden("upscale.latents"))).build()));
        assertThat(events.stream().filter(JobEvent::hasProgress).map(e -> e.getProgress().getStep()))
                .containsExactly(1, 2, 3, 4, 5);
        var result = events.get(events.size() - 1).getResult();
        assertThat(result.getImages(0).getWidth()).isEqualTo(128);
        // The low-res input went through 8 bits here, so the pixels differ from the float fixture;
        // the size, the seed and the parameters are the upscaler's.
        assertThat(result.getSeeds(0)).isEqualTo(25);
        assertThat(result.getParameters()).contains("Model: tiny-x4-upscaler").contains("Size: 128x128");
    }

    @Test
    void upscaleWithoutAModelResamplesByLanczos() throws Exception {
        ByteString image = png(session.golden("upscale.low_res").toFloatArray(), 32, 32);
        List<JobEvent> events = WireRequests.events(stub.upscale(UpscaleRequest.newBuilder()
                .setImage(image).setFactor(2).build()));
        var png = events.get(events.size() - 1).getResult().getImages(0).getPng();
        BufferedImage doubled = ImageIO.read(new ByteArrayInputStream(png.toByteArray()));
        assertThat(doubled.getWidth()).isEqualTo(64);
        assertThat(doubled.getHeight()).isEqualTo(64);
    }

    @Test
    void aDeadlineCancelsTheJobOnTheServerAndTheNextOneRuns() {
        StatusRuntimeException late = failure(() -> WireRequests.events(stub.withDeadlineAfter(300, TimeUnit.MILLISECONDS)
                .generate(WireRequests.fixtureRequest(session).setSteps(150).clearLatents().build())));
        assertThat(late.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        // Were the 150-step job still running, this one would wait behind it for seconds.
        long start = System.nanoTime();
        List<JobEvent> next = WireRequests.events(stub.generate(WireRequests.fixtureRequest(session).setSteps(2).build()));
        assertThat(next.get(next.size() - 1).hasResult()).isTrue();
        assertThat((System.nanoTime() - start) / 1e9).isLessThan(5);
    }

    @Test
    void safetyChecksAreAPreconditionFailure() {
        StatusRuntimeException safety = failure(() -> WireRequests.events(stub.generate(
                WireRequests.fixtureRequest(session).setSafetyCheck(true).build())));
        assertThat(safety.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(safety.getStatus().getDescription()).startsWith("safety_check:");
    }

    @Test
    void anUpscaleOnAGenerationModelNamesTheField() {
        StatusRuntimeException wrong = failure(() -> WireRequests.events(stub.upscale(UpscaleRequest.newBuilder()
                .setModelId("tiny-sd15").setImage(ByteString.copyFrom(new byte[] {1})).build())));
        assertThat(wrong.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(wrong.getStatus().getDescription()).startsWith("model_id: model 'tiny-sd15'");
        GenerateRequest.Builder request = WireRequests.fixtureRequest(session).setNumImages(2);
        StatusRuntimeException latents = failure(() -> WireRequests.events(stub.generate(request.build())));
        assertThat(latents.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(latents.getStatus().getDescription()).startsWith("latents");
    }

    @Test
    void aJobOverTheMemoryBudgetIsResourceExhaustedAndTheServerGoesOn() {
        // 16 images of 2048², decoded in 512² tiles by the tiny VAE's 64-channel decoder:
        // 16 × 3 × 64 × 512² floats = 3 GiB, over demo.yaml's 1 GiB.
        StatusRuntimeException huge = failure(() -> WireRequests.events(stub.generate(WireRequests.fixtureRequest(session)
                .clearLatents().setWidth(2048).setHeight(2048).setNumImages(16).setSteps(1).build())));
        assertThat(huge.getStatus().getCode()).as(huge.getStatus().toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(huge.getStatus().getDescription()).contains("would need about 3072 MiB")
                .contains("job budget of 1024 MiB").contains("2048×2048");
        List<JobEvent> next = WireRequests.events(stub.generate(WireRequests.fixtureRequest(session).setSteps(2).build()));
        assertThat(next.get(next.size() - 1).hasResult()).isTrue();
    }
}
