package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.groups.Tuple.tuple;

import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.weights.SafetensorsWriter;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Lora;
import io.fijigen.proto.v1.ModelRole;
import io.fijigen.proto.v1.ModelUse;
import io.fijigen.proto.v1.Provenance;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.UpscaleRequest;
import io.fijigen.proto.v1.WeightFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every result over loopback gRPC says what produced it: the engine's version and each model the job used, by role,
 * with its weight files' SHA-256s; a single-file model's short hash is in the parameters text too.
 */
class ProvenanceTest {
    private static final Path MODELS = ParityFixtures.ROOT.resolve("models").toAbsolutePath().normalize();

    @TempDir
    static Path dir;
    static ParityFixtures.Session session;
    static LoopbackEngine engine;
    static EngineGrpc.EngineBlockingStub stub;

    /** The demo's tiny models, an embedding, and tiny-sd15 as a single-file checkpoint. */
    @BeforeAll
    static void startEngine() throws Exception {
        session = new ParityFixtures.Session();
        writeEmbedding(dir.resolve("mycity.safetensors"));
        TinyCheckpoints.checkpoint(dir, "tiny-sd15", TinyCheckpoints.SD15_YAML);
        Path registry = Files.writeString(dir.resolve("registry.yaml"), "roots: [., '" + MODELS + "']\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: tiny-lora, kind: lora, path: tiny-lora-kohya.safetensors}\n"
                + "  - {id: mycity, kind: embedding, path: mycity.safetensors}\n"
                + "  - {id: one-file, kind: sd15, path: tiny-sd15.safetensors}\n"
                + "  - {id: tiny-x4-upscaler, kind: upscaler, path: tiny-x4-upscaler}\n");
        engine = new LoopbackEngine(registry, 1);
        stub = EngineGrpc.newBlockingStub(engine.channel);
    }

    @AfterAll
    static void stopEngine() throws Exception {
        engine.close();
        session.close();
    }

    @Test
    void aGenerateResultNamesTheEngineTheModelItsLoraAndItsEmbeddingWithTheirHashes() throws Exception {
        Result result = result(stub.generate(WireRequests.fixtureRequest(session)
                .setPrompt("A cyberpunk mycity, neon lights")
                .addLoras(Lora.newBuilder().setId("tiny-lora").setWeight(0.5))
                .addEmbeddings("mycity")
                .build()));

        Provenance provenance = result.getProvenance();
        assertThat(provenance.getEngineVersion()).isEqualTo(EngineVersion.current())
                .isEqualTo(EngineVersion.DEVELOPMENT_BUILD);
        assertThat(provenance.getModelsList()).extracting(ModelUse::getId, ModelUse::getRole).containsExactly(
                tuple("tiny-sd15", ModelRole.MODEL_ROLE_MODEL), tuple("tiny-lora", ModelRole.MODEL_ROLE_LORA),
                tuple("mycity", ModelRole.MODEL_ROLE_EMBEDDING));
        assertHashes(provenance.getModels(0), Map.of(
                "text_encoder/model.safetensors", MODELS.resolve("tiny-sd15/text_encoder/model.safetensors"),
                "unet/diffusion_pytorch_model.safetensors",
                MODELS.resolve("tiny-sd15/unet/diffusion_pytorch_model.safetensors"),
                "vae/diffusion_pytorch_model.safetensors",
                MODELS.resolve("tiny-sd15/vae/diffusion_pytorch_model.safetensors")));
        assertHashes(provenance.getModels(1), Map.of("tiny-lora-kohya.safetensors",
                MODELS.resolve("tiny-lora-kohya.safetensors")));
        assertHashes(provenance.getModels(2), Map.of("mycity.safetensors", dir.resolve("mycity.safetensors")));
        // A folder has no hash of its own: the text is as it was.
        assertThat(result.getParameters()).endsWith(", Size: 128x128, Model: tiny-sd15").doesNotContain("Model hash");
    }

    /** As web UIs write it: "Model hash: ", the first 10 hex digits of the checkpoint's SHA-256, before "Model: ". */
    @Test
    void aSingleFileModelsShortHashIsInTheParametersBeforeItsName() throws Exception {
        Result result = result(stub.generate(WireRequests.fixtureRequest(session).setModelId("one-file").build()));

        String sha256 = WeightHashesTest.sha256(dir.resolve("tiny-sd15.safetensors"));
        assertThat(result.getProvenance().getModelsCount()).isOne();
        assertHashes(result.getProvenance().getModels(0), Map.of("tiny-sd15.safetensors",
                dir.resolve("tiny-sd15.safetensors")));
        assertThat(result.getParameters()).endsWith(", Size: 128x128, Model hash: " + sha256.substring(0, 10)
                + ", Model: tiny-sd15.safetensors");
    }

    @Test
    void anUpscaleNamesItsUpscalerAndALanczosOneNoModel() throws Exception {
        UpscaleRequest.Builder request = UpscaleRequest.newBuilder().setImage(WireRequests.png(16, 16, 0x336699))
                .setSteps(2).setSeed(1);

        Provenance upscaled = result(stub.upscale(request.setModelId("tiny-x4-upscaler").build())).getProvenance();
        assertThat(upscaled.getEngineVersion()).isEqualTo(EngineVersion.current());
        assertThat(upscaled.getModelsList()).singleElement().satisfies(use -> {
            assertThat(use.getId()).isEqualTo("tiny-x4-upscaler");
            assertThat(use.getRole()).isEqualTo(ModelRole.MODEL_ROLE_UPSCALER);
            assertThat(use.getFilesList()).extracting(WeightFile::getPath).containsExactly(
                    "text_encoder/model.safetensors", "unet/diffusion_pytorch_model.safetensors",
                    "vae/diffusion_pytorch_model.safetensors");
        });

        Provenance resampled = result(stub.upscale(request.setModelId("").setFactor(2).build())).getProvenance();
        assertThat(resampled.getEngineVersion()).isEqualTo(EngineVersion.current());
        assertThat(resampled.getModelsList()).isEmpty();
    }

    /** Each file's hash and size, as the test computes them from {@code files}: path in the result → local file. */
    private static void assertHashes(ModelUse use, Map<String, Path> files) throws Exception {
        assertThat(use.getFilesList()).extracting(WeightFile::getPath)
                .containsExactlyInAnyOrderElementsOf(files.keySet());
        for (WeightFile file : use.getFilesList()) {
            Path local = files.get(file.getPath());
            assertThat(file.getSha256()).as(file.getPath()).isEqualTo(WeightHashesTest.sha256(local));
            assertThat(file.getSize()).as(file.getPath()).isEqualTo(Files.size(local));
        }
    }

    private static Result result(Iterator<JobEvent> stream) {
        List<JobEvent> events = WireRequests.events(stream);
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.hasResult()).isTrue();
        return last.getResult();
    }

    /** A textual inversion of one random vector, at tiny-sd15's text encoder width (32). */
    private static void writeEmbedding(Path file) throws IOException {
        SafetensorsWriter.write(file, Map.of("emb_params", session.manager.randomNormal(new Shape(1, 32))), Map.of());
    }
}
