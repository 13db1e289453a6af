package io.fijigen.engine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ComponentSummary;
import io.fijigen.engine.model.FamilyId;
import io.fijigen.engine.model.ModelSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloading tiny-sd15 from a hub on the loopback interface into a hub cache, as huggingface_hub lays it out. */
class SnapshotDownloadTest {
    static final String REPO = "org/tiny-sd15";
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    static final Path TINY = ParityFixtures.model("tiny-sd15");
    static final String UNET = "unet/diffusion_pytorch_model.safetensors";
    static final String VAE = "vae/diffusion_pytorch_model.safetensors";

    @TempDir
    Path dir;
    LoopbackHub hub;
    Path cache;

    @BeforeEach
    void startHub() throws IOException {
        hub = new LoopbackHub();
        cache = dir.resolve("hub");
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    private HubSettings settings() {
        return new HubSettings(hub.endpoint(), cache, Optional.empty(), false);
    }

    private Path download(HubSettings settings, String revision) throws IOException {
        return new SnapshotDownload(settings, DownloadListener.NONE).snapshot(REPO, revision);
    }

    private static byte[] bytes(String file) throws IOException {
        return Files.readAllBytes(TINY.resolve(file));
    }

    @Test
    void fillsTheCacheInTheHubLayoutAndASecondRunRequestsOnlyTheFileList() throws IOException {
        // Copies a real repo carries that fijigen must not fetch: a fp16 variant, pickle weights, a single-file checkpoint.
        hub.serve(REPO, "main", COMMIT, TINY, Map.of(
                "unet/diffusion_pytorch_model.fp16.safetensors", new byte[] {1, 2, 3},
                "unet/diffusion_pytorch_model.bin", new byte[] {4, 5},
                "tiny-pruned.safetensors", new byte[] {6}));

        Path snapshot = download(settings(), "main");

        Path repoFolder = cache.resolve("models--org--tiny-sd15");
        assertThat(snapshot).isEqualTo(repoFolder.resolve("snapshots").resolve(COMMIT));
        assertThat(Files.readString(repoFolder.resolve("refs/main"))).isEqualTo(COMMIT);
        List<String> files;
        try (Stream<Path> walk = Files.walk(TINY)) {
            files = walk.filter(Files::isRegularFile).map(f -> TINY.relativize(f).toString()).toList();
        }
        for (String file : files) {
            Path link = snapshot.resolve(file);
            byte[] content = bytes(file);
            String etag = file.endsWith(".safetensors") ? LoopbackHub.sha256(content) : LoopbackHub.gitBlobSha1(content);
            assertThat(Files.isSymbolicLink(link)).as(file).isTrue();
            assertThat(link.getParent().resolve(Files.readSymbolicLink(link)).normalize())
                    .isEqualTo(repoFolder.resolve("blobs").resolve(etag));
            assertThat(Files.readSymbolicLink(link).isAbsolute()).isFalse();
            assertThat(Files.readAllBytes(link)).as(file).isEqualTo(content);
        }
        assertThat(snapshot.resolve("unet/diffusion_pytorch_model.fp16.safetensors")).doesNotExist();
        assertThat(snapshot.resolve("unet/diffusion_pytorch_model.bin")).doesNotExist();
        assertThat(snapshot.resolve("tiny-pruned.safetensors")).doesNotExist();
        assertThat(hub.requests()).noneMatch(r -> r.path().endsWith(".bin") || r.path().contains("fp16"));
        try (Stream<Path> blobs = Files.list(repoFolder.resolve("blobs"))) {
            assertThat(blobs).hasSize(files.size()).noneMatch(b -> b.toString().endsWith(".incomplete"));
        }
        // The snapshot is a model folder the engine reads.
        assertThat(ModelSummary.of(snapshot).parameters()).isEqualTo(5_455_883);

        hub.clearRequests();
        assertThat(download(settings(), "main")).isEqualTo(snapshot);
        assertThat(hub.requests()).extracting(LoopbackHub.Request::path)
                .containsExactly("/api/models/" + REPO + "/revision/main");
    }

    /**
     * An SDXL repo laid out as stabilityai/stable-diffusion-xl-base-1.0 (tiny-sdxl's files, its UNet
     * as the fp16 variant only): the components of model_index.json, both text encoders and
     * tokenizers, the UNet's fp16 file, and nothing of the copies beside them.
     */
    @Test
    void anSdxlRepoGetsItsComponentsAndTheOnlyVariantOfItsUnet() throws IOException {
        Path tinySdxl = ParityFixtures.model("tiny-sdxl");
        Map<String, byte[]> served = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(tinySdxl)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                served.put(tinySdxl.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        byte[] unet = served.remove(UNET);
        served.put("unet/diffusion_pytorch_model.fp16.safetensors", unet);
        Map<String, byte[]> expected = new TreeMap<>(served);
        served.putAll(Map.of(
                "sd_xl_base_1.0.safetensors", new byte[] {1},
                "sd_xl_offset_example-lora_1.0.safetensors", new byte[] {2},
                "text_encoder/model.fp16.safetensors", new byte[] {3},
                "text_encoder_2/model.onnx", new byte[] {4},
                "vae_1_0/config.json", "{}".getBytes(StandardCharsets.UTF_8),
                "vae_1_0/diffusion_pytorch_model.safetensors", new byte[] {5},
                "vae_decoder/openvino_model.bin", new byte[] {6},
                "vae_decoder/openvino_model.xml", new byte[] {7},
                "README.md", new byte[] {8}));
        hub.serve("stabilityai/tiny-sdxl", "main", COMMIT, null, served);

        Path snapshot = new SnapshotDownload(settings(), DownloadListener.NONE)
                .snapshot("stabilityai/tiny-sdxl", "main");

        List<String> fetched;
        try (Stream<Path> walk = Files.walk(snapshot)) {
            fetched = walk.filter(Files::isRegularFile).map(f -> snapshot.relativize(f).toString()).sorted().toList();
        }
        assertThat(fetched).containsExactlyElementsOf(expected.keySet());
        for (String file : fetched) {
            assertThat(Files.readAllBytes(snapshot.resolve(file))).as(file).isEqualTo(expected.get(file));
        }
        assertThat(hub.requests()).extracting(LoopbackHub.Request::path).noneMatch(path -> path.contains("sd_xl_")
                || path.contains("vae_1_0") || path.contains("vae_decoder")
                || path.contains("text_encoder/model.fp16"));
        ModelSummary summary = ModelSummary.of(snapshot);
        assertThat(summary.family()).contains(FamilyId.SDXL);
        assertThat(summary.nativeSize()).hasValue(128);
        assertThat(summary.components()).extracting(ComponentSummary::name)
                .containsExactlyInAnyOrder("text_encoder", "text_encoder_2", "unet", "vae");
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws IOException {
        byte[] unet = bytes(UNET);
        hub.serve(REPO, "main", COMMIT, TINY, Map.of()).dropOnce(unet, 1_000_000);

        Path snapshot = download(settings(), "main");

        String sha = LoopbackHub.sha256(unet);
        // What reached the client before the drop (a little under what the server wrote) is kept and resumed.
        List<String> ranges = hub.requests().stream().filter(r -> r.path().equals("/lfs/" + sha))
                .map(LoopbackHub.Request::range).toList();
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isNull();
        assertThat(ranges.get(1)).matches("bytes=\\d+-");
        assertThat(Long.parseLong(ranges.get(1).replaceAll("\\D", ""))).isBetween(1L, 1_000_000L);
        assertThat(LoopbackHub.sha256(Files.readAllBytes(snapshot.resolve(UNET)))).isEqualTo(sha);
    }

    @Test
    void aPartialFileFromAnEarlierRunIsResumed() throws IOException {
        byte[] unet = bytes(UNET);
        String sha = LoopbackHub.sha256(unet);
        hub.serve(REPO, "main", COMMIT, TINY, Map.of());
        Path blobs = Files.createDirectories(cache.resolve("models--org--tiny-sd15/blobs"));
        Files.write(blobs.resolve(sha + ".incomplete"), Arrays.copyOf(unet, 4096));

        Path snapshot = download(settings(), "main");

        assertThat(hub.requests()).filteredOn(r -> r.path().equals("/lfs/" + sha)).extracting(LoopbackHub.Request::range)
                .containsExactly("bytes=4096-");
        assertThat(Files.readAllBytes(snapshot.resolve(UNET))).isEqualTo(unet);
        assertThat(blobs.resolve(sha + ".incomplete")).doesNotExist();
    }

    @Test
    void aCorruptDownloadIsAnErrorAndLeavesNothingInTheCache() throws IOException {
        byte[] vae = bytes(VAE);
        String sha = LoopbackHub.sha256(vae);
        hub.serve(REPO, "main", COMMIT, TINY, Map.of()).corrupt(vae);

        assertThatThrownBy(() -> download(settings(), "main"))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining(VAE + " of " + REPO)
                .hasMessageContaining("checksum mismatch, sha256 expected " + sha)
                .hasMessageContaining("deleted")
                .hasMessageContaining("run the download again");

        Path repoFolder = cache.resolve("models--org--tiny-sd15");
        assertThat(repoFolder.resolve("blobs").resolve(sha)).doesNotExist();
        assertThat(repoFolder.resolve("blobs").resolve(sha + ".incomplete")).doesNotExist();
        assertThat(repoFolder.resolve("snapshots").resolve(COMMIT).resolve(VAE)).doesNotExist();
        assertThat(repoFolder.resolve("refs/main")).doesNotExist();
    }

    @Test
    void aGatedRepoNeedsTheToken() throws IOException {
        hub.serve(REPO, "main", COMMIT, TINY, Map.of()).gated("hf_secret");

        assertThatThrownBy(() -> download(settings(), "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining(REPO + " is gated or private (HTTP 401)")
                .hasMessageContaining("accept the model's licence at " + hub.endpoint() + "/" + REPO)
                .hasMessageContaining("set HF_TOKEN");
        HubSettings wrongToken = new HubSettings(hub.endpoint(), cache, Optional.of("hf_wrong"), false);
        assertThatThrownBy(() -> download(wrongToken, "main"))
                .hasMessageContaining("refused the token in HF_TOKEN")
                .hasMessageNotContaining("hf_wrong");

        HubSettings withToken = new HubSettings(hub.endpoint(), cache, Optional.of("hf_secret"), false);
        assertThat(download(withToken, "main").resolve(UNET)).exists();
        assertThat(withToken.toString()).doesNotContain("hf_secret");
    }

    @Test
    void theTokenGoesToTheHubButNotToTheStorageDownloadsAreRedirectedTo() throws IOException {
        try (LoopbackHub storage = new LoopbackHub()) {
            storage.serve(REPO, "main", COMMIT, TINY, Map.of());
            hub.serve(REPO, "main", COMMIT, TINY, Map.of()).gated("hf_secret").storeLfsAt(storage);

            Path snapshot = download(new HubSettings(hub.endpoint(), cache, Optional.of("hf_secret"), false), "main");

            assertThat(Files.readAllBytes(snapshot.resolve(UNET))).isEqualTo(bytes(UNET));
            assertThat(hub.requests()).isNotEmpty().allMatch(r -> "Bearer hf_secret".equals(r.authorization()));
            assertThat(storage.requests()).isNotEmpty().allMatch(r -> r.authorization() == null);
        }
    }

    @Test
    void offlineUsesTheCacheWithoutAnyRequestAndNamesWhatIsMissing() throws IOException {
        hub.serve(REPO, "main", COMMIT, TINY, Map.of());
        HubSettings offline = settings().asOffline();
        assertThatThrownBy(() -> download(offline, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining(REPO + " at revision main is not in the hub cache " + cache)
                .hasMessageContaining("models--org--tiny-sd15/snapshots/")
                .hasMessageContaining("offline mode is on")
                .hasMessageContaining("fijigen download " + REPO);
        assertThat(hub.requests()).isEmpty();

        Path snapshot = download(settings(), "main");
        hub.clearRequests();
        assertThat(download(offline, "main")).isEqualTo(snapshot);
        assertThat(hub.requests()).isEmpty();
    }

    @Test
    void aRepoWithOnlyPickleWeightsIsRefused() throws IOException {
        hub.serve("org/old", "main", COMMIT, null, Map.of(
                "model_index.json", "{}".getBytes(StandardCharsets.UTF_8),
                "unet/config.json", "{}".getBytes(StandardCharsets.UTF_8),
                "unet/diffusion_pytorch_model.bin", new byte[] {1, 2}));

        assertThatThrownBy(() -> new SnapshotDownload(settings(), DownloadListener.NONE).snapshot("org/old", "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("org/old offers only pickle weights (unet/diffusion_pytorch_model.bin)")
                .hasMessageContaining("fijigen loads safetensors only; convert them");
        assertThat(hub.requests()).hasSize(1);
        assertThat(cache.resolve("models--org--old")).doesNotExist();
    }

    @Test
    void anotherBranchOrACommitResolvesToItsOwnSnapshot() throws IOException {
        String v2 = "fedcba9876543210fedcba9876543210fedcba98";
        hub.serve(REPO, "main", COMMIT, TINY, Map.of());
        hub.serve(REPO, "refs/pr/2", v2, TINY, Map.of("extra.txt", "v2".getBytes(StandardCharsets.UTF_8)));

        Path snapshot = download(settings(), "refs/pr/2");

        Path repoFolder = cache.resolve("models--org--tiny-sd15");
        assertThat(snapshot).isEqualTo(repoFolder.resolve("snapshots").resolve(v2));
        assertThat(Files.readString(snapshot.resolve("extra.txt"))).isEqualTo("v2");
        // huggingface_hub keeps a ref under refs/<revision>, so a pull request's ref is refs/refs/pr/2.
        assertThat(Files.readString(repoFolder.resolve("refs/refs/pr/2"))).isEqualTo(v2);
        assertThat(repoFolder.resolve("refs/main")).doesNotExist();
        assertThat(hub.requests()).anyMatch(r -> r.path().equals("/api/models/" + REPO + "/revision/refs/pr/2"));

        // A commit needs no ref; the blobs it shares with the other snapshot are not downloaded again.
        hub.clearRequests();
        assertThat(download(settings(), COMMIT)).isEqualTo(repoFolder.resolve("snapshots").resolve(COMMIT));
        assertThat(hub.requests()).noneMatch(r -> r.path().startsWith("/lfs/"));
        try (Stream<Path> refs = Files.walk(repoFolder.resolve("refs"))) {
            assertThat(refs.filter(Files::isRegularFile)).containsExactly(repoFolder.resolve("refs/refs/pr/2"));
        }

        assertThatThrownBy(() -> download(settings(), "nope"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("revision 'nope' not found in " + REPO);
    }

    @Test
    void anUnreachableHubSaysHowToWorkOffline() throws IOException {
        HubSettings nowhere = new HubSettings(hub.endpoint(), cache, Optional.empty(), false);
        hub.close();
        assertThatThrownBy(() -> download(nowhere, "main"))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("could not reach the hub at " + hub.endpoint())
                .hasMessageContaining("--offline");
    }
}
