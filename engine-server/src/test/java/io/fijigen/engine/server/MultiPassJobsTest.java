package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Hires;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Refine;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs of several passes over loopback gRPC, on a 20 MiB job budget: their progress events count
 * on from pass to pass to one total (each preview on its own pass's latent grid), and a job whose x4
 * pass alone exceeds the budget is refused before it runs, while its Stable Diffusion passes would fit.
 */
class MultiPassJobsTest {
    private static final Path MODELS = ParityFixtures.model("tiny-sd15").getParent().toAbsolutePath();
    /** tiny-x4-upscaler takes 2 steps unless asked. */
    private static final String REGISTRY = "roots: ['" + MODELS + "']\njob_memory_budget_mib: 20\nmodels:\n"
            + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
            + "  - {id: tiny-x4-upscaler, kind: upscaler, path: tiny-x4-upscaler, default_steps: 2}\n";

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

    /** A hires fix ×2 of {@code width × height} on tiny-sd15 by the x4 model: 3 DDIM steps, then 4 at strength 0.5. */
    private static GenerateRequest x4Hires(int width, int height) {
        return GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a lighthouse").setWidth(width)
                .setHeight(height).setSteps(3).setScheduler("ddim").setSeed(5).setPreviewEvery(1)
                .setHires(Hires.newBuilder().setScale(2).setSteps(4).setStrength(0.5).setUpscaler("tiny-x4-upscaler"))
                .build();
    }

    /**
     * 3 steps on the 4×4 grid of 32², 2 x4 steps on the image's own 32² grid, 4 × 0.5 = 2 on the 8×8
     * grid of 64²: 7 steps of 7, the previews that wide.
     */
    @Test
    void anX4HiresJobsStepsCountOnToOneTotal() {
        List<JobEvent> events = WireRequests.events(stub.generate(x4Hires(32, 32)));

        assertCountedOnto(events, 7, widths(pass(3, 4), pass(2, 32), pass(2, 8)));
        assertThat(events.get(events.size() - 1).getResult().getImages(0).getWidth()).isEqualTo(64);
    }

    /**
     * 32² ×4 by the x4 model (2 steps on its 32² grid) to 128², refined in tiles of 64 overlapping by 16:
     * 3 × 3 tiles of 4 × 0.5 = 2 DDIM steps on an 8×8 grid, 2 + 18 = 20 steps.
     */
    @Test
    void aRefineUpscalesX4AndTileStepsCountOnToOneTotal() {
        List<JobEvent> events = WireRequests.events(stub.upscale(UpscaleRequest.newBuilder()
                .setModelId("tiny-x4-upscaler").setImage(WireRequests.png(32, 32, 0x406080)).setPrompt("cells")
                .setSeed(3).setPreviewEvery(1)
                .setRefine(Refine.newBuilder().setModelId("tiny-sd15").setTile(64).setTileOverlap(16).setSteps(4)
                        .setStrength(0.5).setScheduler("ddim"))
                .build()));

        assertCountedOnto(events, 20, widths(pass(2, 32), pass(18, 8)));
        assertThat(events.get(events.size() - 1).getResult().getImages(0).getWidth()).isEqualTo(128);
    }

    /**
     * 64×48 ×2: the x4 model decodes 256×192 × 64 channels × 3 live × 4 bytes = 36 MiB, over the 20 MiB
     * budget, where the second pass at 128×96 needs 9 MiB: refused, and the same job by Lanczos runs.
     */
    @Test
    void aJobWhoseX4PassAloneExceedsTheBudgetIsResourceExhausted() {
        assertThatThrownBy(() -> WireRequests.events(stub.generate(x4Hires(64, 48))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("would need about 36 MiB")
                            .contains("job budget of 20 MiB").contains("x4 upscale of each 64×48 image to 256×192")
                            .contains("a hires upscaler other than an x4 model");
                });
        assertThatThrownBy(() -> WireRequests.events(stub.upscale(UpscaleRequest.newBuilder()
                .setModelId("tiny-x4-upscaler").setImage(WireRequests.png(64, 48, 0x406080)).setPrompt("cells")
                .setRefine(Refine.newBuilder().setModelId("tiny-sd15").setTile(64)).build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).contains("would need about 36 MiB")
                            .contains("job budget of 20 MiB").contains("x4 upscale of 1 image(s) of 64×48")
                            .contains("smaller tiles");
                });

        GenerateRequest lanczos = x4Hires(64, 48).toBuilder().setPreviewEvery(0)
                .setHires(x4Hires(64, 48).getHires().toBuilder().setUpscaler("lanczos")).build();
        List<JobEvent> events = WireRequests.events(stub.generate(lanczos));
        assertThat(events.get(events.size() - 1).getResult().getImages(0).getWidth()).isEqualTo(128);
    }

    /** Steps 1 to {@code total}, each of {@code total}, each with a preview {@code widths} wide. */
    private static void assertCountedOnto(List<JobEvent> events, int total, List<Integer> widths) {
        List<JobEvent> progress = events.stream().filter(JobEvent::hasProgress).toList();
        assertThat(progress).extracting(e -> e.getProgress().getStep())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, total).boxed().toList());
        assertThat(progress).extracting(e -> e.getProgress().getTotal()).containsOnly(total);
        assertThat(progress).extracting(e -> previewWidth(e.getProgress().getPreviewPng().toByteArray()))
                .containsExactlyElementsOf(widths);
    }

    private static int previewWidth(byte[] png) {
        try {
            BufferedImage preview = ImageIO.read(new ByteArrayInputStream(png));
            return preview.getWidth();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code count} previews {@code width} wide. */
    private static List<Integer> pass(int count, int width) {
        return Collections.nCopies(count, width);
    }

    @SafeVarargs
    private static List<Integer> widths(List<Integer>... passes) {
        List<Integer> all = new ArrayList<>();
        for (List<Integer> pass : passes) {
            all.addAll(pass);
        }
        return all;
    }
}
