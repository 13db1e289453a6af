package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ij.ImagePlus;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.proto.client.JobListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reproduce from Info on a real engine on loopback: the same job gives the same values; changed weights are caught. */
class ReproduceTest extends LoopbackClientTestBase {
    private static final Path TINY_SD15 = Path.of("../engine-server/src/test/resources/parity/models/tiny-sd15");

    @Test
    void aTxt2imgResultOfThisSessionIsReproducedExactly() throws Exception {
        GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "cells").withSize(64, 48).withSteps(2);

        Inserted inserted = new GenerateAction(client).run(options, null, JobListener.NONE);
        ReproduceAction.Reproduction reproduction = new ReproduceAction(client).run(inserted.image(), JobListener.NONE);

        assertThat(reproduction.maxDifference()).isZero();
        assertThat(reproduction.values()).isEqualTo(64 * 48 * 3);
        assertThat(reproduction.result()).isEqualTo(inserted.image().getTitle());
        // The record: the engine, each weight file's SHA-256, the request with the seed the engine drew.
        String parameters = inserted.image().getInfoProperty();
        assertThat(parameters).contains("Engine: fijigen ").containsPattern(
                "Weights of tiny-sd15 \\(model\\):.* unet/diffusion_pytorch_model.safetensors SHA-256 [0-9a-f]{64}");
        assertThat(inserted.image().getProp(JobRecord.REQUEST_PROPERTY)).contains("seed: " + inserted.seed());

        // As if reopened in another session: the request from its text, compared with the image's pixels.
        inserted.image().setProp(JobRecord.JOB_PROPERTY, "");
        assertThat(new ReproduceAction(client).run(inserted.image(), JobListener.NONE).maxDifference()).isZero();
    }

    @Test
    void anImg2imgLayerOnA16BitImageIsReproducedExactlyFromThisSessionsRecord() throws Exception {
        ImagePlus imp = GreyImagesTest.calibrated16Bit();
        GenerateOptions options = GenerateOptions.img2img("tiny-sd15", "cells").withSteps(2).withSeed(5);

        Inserted inserted = new GenerateAction(client).run(options, imp, JobListener.NONE);
        ReproduceAction.Reproduction reproduction = new ReproduceAction(client).run(imp, JobListener.NONE);

        assertThat(reproduction.result()).isEqualTo(inserted.layer().getName());
        assertThat(reproduction.maxDifference()).isZero();
        assertThat(reproduction.maxFloatDifference()).isZero();
        assertThat(inserted.layer().getProperty(JobRecord.REQUEST_PROPERTY)).contains("init_image: \"sha256:");
        assertThat(inserted.layer().getProperty(io.fijigen.plugin.layers.LayerInserter.PARAMETERS_PROPERTY)).contains("Init image SHA-256: ");

        // Without this session's record the init image is gone: say so rather than run something else.
        inserted.layer().setProperty(JobRecord.JOB_PROPERTY, "elsewhere");
        assertThatThrownBy(() -> new ReproduceAction(client).run(imp, JobListener.NONE))
                .hasMessageContaining("was made from images this Fiji session no longer has");
    }

    @Test
    void anImageWithoutARecordIsRefusedWithTheReason() {
        assertThatThrownBy(() -> new ReproduceAction(client).run(TestImages.gradient(8, 8), JobListener.NONE))
                .hasMessageContaining("has no fijigen record");
    }

    @Test
    void changedWeightsAreReportedAndNotRunAgain(@TempDir Path root) throws Exception {
        Path models = root.resolve("models");
        copy(TINY_SD15, models.resolve("tiny-sd15"));
        Path registry = root.resolve("registry.yaml");
        Files.writeString(registry, "roots:\n  - models\nmodels:\n  - id: tiny-sd15\n    kind: sd15\n"
                + "    path: tiny-sd15\n    dtype: fp32\n    device: cpu\n");
        try (LoopbackServer own = new LoopbackServer(registry); EngineClient ownClient = new EngineClient(own.connection())) {
            GenerateOptions options = GenerateOptions.txt2img("tiny-sd15", "cells").withSize(64, 48).withSteps(2)
                    .withSeed(3);
            Inserted inserted = new GenerateAction(ownClient).run(options, null, JobListener.NONE);

            // One byte of the UNet's weights changes (its size stays: the engine sees the new modified time).
            Path unet = models.resolve("tiny-sd15/unet/diffusion_pytorch_model.safetensors");
            byte[] bytes = Files.readAllBytes(unet);
            bytes[bytes.length - 1] ^= 1;
            Files.write(unet, bytes);
            Files.setLastModifiedTime(unet, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));

            AtomicBoolean ran = new AtomicBoolean();
            JobListener listener = new JobListener() {
                @Override
                public void queued(String jobId, int position) {
                    ran.set(true);
                }
            };
            assertThatThrownBy(() -> new ReproduceAction(ownClient).run(inserted.image(), listener))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not run again")
                    .hasMessageContaining("tiny-sd15 unet/diffusion_pytorch_model.safetensors: SHA-256 ")
                    .hasMessageContaining(" when the result was made, ");
            assertThat(ran).as("a job was sent").isFalse();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
