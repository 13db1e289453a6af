package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyCheckpoints;
import io.fijigen.engine.model.FamilyId;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.pipeline.InvalidRequestException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a registry offers, without loading: ids, budgets, size estimates, paths in the roots and hub caches, LoRA files. */
class ModelCatalogueTest {
    private static final Path DEMO = Path.of("../models-config/demo.yaml");

    @TempDir
    Path dir;

    @Test
    void theDemoCatalogueEstimatesEachModelFromItsHeadersAtItsDtype() throws IOException {
        ModelCatalogue catalogue = new ModelCatalogue(RegistryConfig.read(DEMO));

        assertThat(catalogue.memoryBudgetBytes()).isEqualTo(256L << 20);
        assertThat(catalogue.jobMemoryBytes()).isEqualTo(1024L << 20);
        for (String id : List.of("tiny-sd15", "tiny-controlnet-canny", "tiny-x4-upscaler")) {
            assertThat(catalogue.estimatedBytes(id))
                    .isEqualTo(ModelSummary.of(ParityFixtures.model(id)).parameters() * 4).isPositive();
        }
        assertThatThrownBy(() -> catalogue.find(""))
                .isInstanceOf(UnknownModelException.class)
                .hasMessageStartingWith("unknown model ''; known models: tiny-sd15, tiny-sd2,");
    }

    @Test
    void aLoraIsItsFileOrTheOneSafetensorsFileOfItsFolder() throws IOException {
        Path models = ParityFixtures.ROOT.resolve("models").toRealPath();
        Files.createDirectories(dir.resolve("one"));
        Files.createDirectories(dir.resolve("two"));
        Files.copy(models.resolve("tiny-lora-kohya.safetensors"), dir.resolve("one/lora.safetensors"));
        Files.writeString(dir.resolve("one/README.md"), "");
        Files.writeString(dir.resolve("two/a.safetensors"), "");
        Files.writeString(dir.resolve("two/b.safetensors"), "");
        ModelCatalogue catalogue = read("roots: [., " + models + "]\nmodels:\n"
                + "  - {id: file, kind: lora, path: tiny-lora-kohya.safetensors}\n"
                + "  - {id: folder, kind: lora, path: one}\n"
                + "  - {id: two, kind: lora, path: two}\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n");

        assertThat(catalogue.loraFile("file")).isEqualTo(models.resolve("tiny-lora-kohya.safetensors"));
        assertThat(catalogue.loraFile("folder")).isEqualTo(dir.resolve("one/lora.safetensors").toRealPath());
        // The server's files, not the client's request: named by file name, never by host path.
        assertThatThrownBy(() -> catalogue.loraFile("two"))
                .isInstanceOf(ModelFilesException.class)
                .hasMessageMatching("model 'two': its folder holds 2 .safetensors files \\[\\w+\\.safetensors, "
                        + "\\w+\\.safetensors\\], a LoRA folder must hold one")
                .message().doesNotContain(dir.toString());
        assertThatThrownBy(() -> catalogue.loraFile("tiny-sd15"))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("model 'tiny-sd15' is a sd15 model, not a LoRA");
    }

    @Test
    void aHubRepoResolvesToItsSnapshotThroughRefsMain() throws IOException {
        Path snapshot = fakeHubRepo("models--org--tiny", "3f2c1a");
        Files.writeString(dir.resolve("cache/models--org--tiny/refs/main"), "3f2c1a\n");
        ModelCatalogue catalogue = read("roots: [cache]\nmodels:\n"
                + "  - {id: tiny, kind: sd15, hub: org/tiny}\n"
                + "  - {id: pinned, kind: sd15, hub: org/tiny, revision: 3f2c1a}\n");

        assertThat(catalogue.find("tiny").location()).isEqualTo(new ModelLocation.HubRepo("org/tiny", "main"));
        assertThat(catalogue.path("tiny")).isEqualTo(snapshot.toRealPath());
        assertThat(catalogue.path("pinned")).isEqualTo(snapshot.toRealPath());
        assertThat(catalogue.estimatedBytes("tiny")).isEqualTo(catalogue.estimatedBytes("pinned")).isPositive();
    }

    /**
     * A hub snapshot's weight files are named from the snapshot down (never by the blobs its links point to), the
     * networks' only: no config, tokenizer or scheduler file.
     */
    @Test
    void aHubSnapshotsWeightFilesAreItsNetworksFilesNamedFromTheSnapshot() throws IOException {
        Path snapshot = fakeHubRepo("models--org--tiny", "3f2c1a").toRealPath();
        ModelCatalogue catalogue = read("roots: [cache]\nmodels:\n"
                + "  - {id: tiny, kind: sd15, hub: org/tiny, revision: 3f2c1a}\n");

        assertThat(catalogue.weightFiles("tiny")).containsExactly(
                entry("text_encoder/model.safetensors", snapshot.resolve("text_encoder/model.safetensors")),
                entry("unet/diffusion_pytorch_model.safetensors",
                        snapshot.resolve("unet/diffusion_pytorch_model.safetensors")),
                entry("vae/diffusion_pytorch_model.safetensors",
                        snapshot.resolve("vae/diffusion_pytorch_model.safetensors")));
    }

    @Test
    void aHubRepoMissingFromTheCacheIsAcceptedButRefusedOnUseWithoutTheRoots() throws IOException {
        fakeHubRepo("models--org--tiny", "3f2c1a");
        ModelCatalogue catalogue = read("roots: [cache]\nmodels:\n"
                + "  - {id: other, kind: sd15, hub: org/other}\n"
                + "  - {id: no-ref, kind: sd15, hub: org/tiny, revision: v1}\n");

        assertThatThrownBy(() -> catalogue.estimatedBytes("other"))
                .isInstanceOf(ModelFilesException.class)
                .hasMessageStartingWith("model 'other': hub repo org/other at revision main is not in the server's hub"
                        + " cache")
                .message().doesNotContain(dir.toString());
        assertThatThrownBy(() -> catalogue.path("no-ref")).isInstanceOf(ModelFilesException.class);
    }

    @Test
    void aSnapshotLinkingOutOfTheRootsIsFoundButRefusedReading() throws IOException {
        Path snapshot = fakeHubRepo("models--org--tiny", "3f2c1a");
        Path vae = snapshot.resolve("vae/diffusion_pytorch_model.safetensors");
        Files.copy(vae, dir.resolve("stolen.safetensors"));
        Files.delete(vae);
        Files.createSymbolicLink(vae, dir.resolve("stolen.safetensors"));
        ModelCatalogue catalogue = read("roots: [cache]\nmodels:\n"
                + "  - {id: tiny, kind: sd15, hub: org/tiny, revision: 3f2c1a}\n");

        assertThat(catalogue.path("tiny")).isEqualTo(snapshot.toRealPath());
        assertThatThrownBy(() -> catalogue.checkedPath("tiny"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("vae/diffusion_pytorch_model.safetensors")
                .hasMessageContaining("resolves outside the model roots");
    }

    /** tiny-sdxl.safetensors with its sidecar yaml and tokenizers, as a user lays out a downloaded SDXL checkpoint. */
    @Test
    void anSdxlSingleFileHasItsFamilyAndNativeSize() throws IOException {
        Path models = ParityFixtures.ROOT.resolve("models");
        Files.copy(models.resolve("tiny-sdxl.safetensors"), dir.resolve("tiny-sdxl.safetensors"));
        Files.writeString(dir.resolve("tiny-sdxl.yaml"), TinyCheckpoints.SDXL_YAML);
        for (String tokenizer : new String[] {"tokenizer", "tokenizer_2"}) {
            TinyCheckpoints.copyFolder(models.resolve("tiny-sdxl").resolve(tokenizer), dir.resolve(tokenizer));
        }
        ModelCatalogue catalogue = read("models:\n  - {id: xl, kind: sdxl, path: tiny-sdxl.safetensors}\n");

        assertThat(catalogue.family("xl")).contains(FamilyId.SDXL);
        assertThat(catalogue.nativeSize("xl")).isEqualTo(128);
    }

    @Test
    void aLinkedFolderInsideTheRootsCannotHideALinkOut() throws IOException {
        Path model = Files.createDirectories(dir.resolve("models/m"));
        Path shared = Files.createDirectories(dir.resolve("models/shared-unet"));
        Files.writeString(model.resolve("model_index.json"), "{}");
        Files.createSymbolicLink(model.resolve("unet"), shared);
        Files.writeString(dir.resolve("weights.safetensors"), "");
        Files.createSymbolicLink(shared.resolve("diffusion_pytorch_model.safetensors"),
                dir.resolve("weights.safetensors"));
        ModelCatalogue catalogue = read("roots: [models]\nmodels:\n  - {id: m, kind: sd15, path: m}\n");

        assertThatThrownBy(() -> catalogue.checkedPath("m"))
                .isInstanceOf(AccessDeniedException.class)
                .hasMessageContaining("diffusion_pytorch_model.safetensors")
                .hasMessageContaining("resolves outside the model roots");
    }

    private ModelCatalogue read(String yaml) throws IOException {
        Path file = dir.resolve("registry.yaml");
        Files.writeString(file, yaml);
        return new ModelCatalogue(RegistryConfig.read(file));
    }

    /**
     * A hub cache repo as the hub client lays it out: the files in {@code blobs/}, the snapshot made
     * of relative links to them, here a copy of tiny-sd15.
     */
    private Path fakeHubRepo(String folder, String commit) throws IOException {
        Path repo = dir.resolve("cache").resolve(folder);
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        Path source = ParityFixtures.model("tiny-sd15");
        Files.createDirectories(repo.resolve("refs"));
        Files.createDirectories(repo.resolve("blobs"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        int blob = 0;
        for (Path file : files) {
            Path link = snapshot.resolve(source.relativize(file).toString());
            Path target = repo.resolve("blobs").resolve("blob" + blob++);
            Files.createDirectories(link.getParent());
            Files.copy(file, target);
            Files.createSymbolicLink(link, link.getParent().relativize(target));
        }
        assertThat(Files.isSymbolicLink(snapshot.resolve("model_index.json"))).isTrue();
        return snapshot;
    }
}
