package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.ListModelsRequest;
import io.fijigen.proto.v1.Model;
import io.fijigen.proto.v1.WeightFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The weight files ListModels reports over loopback gRPC, with the SHA-256s the server computes once per file and
 * caches beside its registry.
 */
class WeightHashesTest {
    private static final Path MODELS = ParityFixtures.ROOT.resolve("models").toAbsolutePath().normalize();
    private static final List<String> SD15_FILES = List.of("text_encoder/model.safetensors",
            "unet/diffusion_pytorch_model.safetensors", "vae/diffusion_pytorch_model.safetensors");

    @TempDir
    Path dir;

    /** Every weight file, its hash as MessageDigest computes it, its size, its path from the model's folder. */
    @Test
    void listModelsReportsEveryWeightFileWithItsSha256SizeAndPathFromTheModel() throws Exception {
        Path registry = registry(dir, "roots: ['" + MODELS + "']\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: canny, kind: controlnet, path: tiny-controlnet-canny}\n"
                + "  - {id: lora, kind: lora, path: tiny-lora-kohya.safetensors}\n"
                + "  - {id: safety, kind: safety, path: tiny-safety-checker}\n");
        try (LoopbackEngine engine = new LoopbackEngine(registry, 1)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel);

            assertListed(hashed(stub, "tiny-sd15"), MODELS.resolve("tiny-sd15"), SD15_FILES);
            assertListed(hashed(stub, "canny"), MODELS.resolve("tiny-controlnet-canny"),
                    List.of("diffusion_pytorch_model.safetensors"));
            assertListed(hashed(stub, "lora"), MODELS, List.of("tiny-lora-kohya.safetensors"));
            assertListed(hashed(stub, "safety"), MODELS.resolve("tiny-safety-checker"),
                    List.of("safety_checker/model.safetensors"));
        }
    }

    /**
     * A second server on the registry takes the hashes from the cache file the first wrote, unchanged files' as they
     * are written there (a fake one too), and hashes a file again once its bytes change.
     */
    @Test
    void aSecondServerReusesTheCacheBesideTheRegistryUntilAFileChanges() throws Exception {
        Path model = dir.resolve("models/sd15");
        ModelCopies.copy(MODELS.resolve("tiny-sd15"), model);
        Path registry = registry(dir, "roots: [models]\nmodels:\n  - {id: sd15, kind: sd15, path: sd15}\n");
        Path cache = dir.resolve("registry.yaml.sha256");
        Path unet = model.resolve("unet/diffusion_pytorch_model.safetensors").toRealPath();
        try (LoopbackEngine first = new LoopbackEngine(registry, 1)) {
            hashed(EngineGrpc.newBlockingStub(first.channel), "sd15");
        }
        List<String> lines = Files.readAllLines(cache);
        String unetLine = cacheLine(unet);
        assertThat(lines.get(0)).startsWith("#");
        assertThat(lines).hasSize(1 + SD15_FILES.size()).contains(unetLine);

        String fake = "0123456789abcdef".repeat(4);
        Files.write(cache, lines.stream().map(line -> line.equals(unetLine) ? fake + line.substring(64) : line)
                .toList());
        try (LoopbackEngine second = new LoopbackEngine(registry, 1)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(second.channel);
            assertThat(file(hashed(stub, "sd15"), "unet/diffusion_pytorch_model.safetensors").getSha256())
                    .isEqualTo(fake);

            byte[] bytes = Files.readAllBytes(unet);
            bytes[bytes.length - 1] ^= 1;
            FileTime before = Files.getLastModifiedTime(unet);
            Files.write(unet, bytes);
            // A file system may keep whole seconds: the change must show in the time whatever its resolution.
            Files.setLastModifiedTime(unet, FileTime.fromMillis(before.toMillis() + 2000));
            String changed = sha256(unet);
            Model relisted = listed(stub, "sd15", files -> changed.equals(
                    files.stream().filter(f -> f.getPath().startsWith("unet/")).findFirst().orElseThrow().getSha256()));
            assertListed(relisted, model, SD15_FILES);
        }
        assertThat(Files.readString(cache)).contains(cacheLine(unet)).doesNotContain(fake);
    }

    /** As root, which may write anywhere, a folder where the cache file would go stops the write as well. */
    @Test
    void aReadOnlyRegistryFolderServesWithTheHashesInMemoryAndOneWarning() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("read-only"));
        Path registry = registry(folder, "roots: ['" + MODELS + "']\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (Files.isWritable(folder)) {
            Files.createDirectories(folder.resolve("registry.yaml.sha256/in-the-way"));
        }
        Logger logger = (Logger) LoggerFactory.getLogger(WeightHashes.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (LoopbackEngine engine = new LoopbackEngine(registry, 1)) {
            assertListed(hashed(EngineGrpc.newBlockingStub(engine.channel), "tiny-sd15"), MODELS.resolve("tiny-sd15"),
                    SD15_FILES);
            assertThat(log.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                    .contains("cannot write the weight hash cache " + folder.resolve("registry.yaml.sha256"))
                    .contains("kept in memory only"));
        } finally {
            logger.detachAppender(log);
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(folder.resolve("registry.yaml.sha256")).isDirectory();
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    /** The files' paths in order, each with its size and the hash of the file at that path under {@code model}. */
    static void assertListed(Model model, Path folder, List<String> paths) throws Exception {
        assertThat(model.getFilesList()).extracting(WeightFile::getPath).containsExactlyElementsOf(paths);
        for (WeightFile file : model.getFilesList()) {
            Path local = Files.isDirectory(folder) ? folder.resolve(file.getPath()) : folder;
            assertThat(file.getSize()).as(file.getPath()).isEqualTo(Files.size(local));
            assertThat(file.getSha256()).as(file.getPath()).isEqualTo(sha256(local));
        }
    }

    /** The file's line in the cache as the README describes it: SHA256 SIZE MODIFIED PATH. */
    private static String cacheLine(Path file) throws Exception {
        return sha256(file) + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toInstant() + " " + file;
    }

    private static Path registry(Path folder, String yaml) throws IOException {
        return Files.writeString(folder.resolve("registry.yaml"), yaml);
    }

    /** The model as listed once every file has a hash, which the server computes in the background. */
    private static Model hashed(EngineGrpc.EngineBlockingStub stub, String id) throws InterruptedException {
        return listed(stub, id, files -> !files.isEmpty() && files.stream().noneMatch(f -> f.getSha256().isEmpty()));
    }

    private static Model listed(EngineGrpc.EngineBlockingStub stub, String id, Predicate<List<WeightFile>> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Model model = stub.listModels(ListModelsRequest.getDefaultInstance()).getModelsList().stream()
                    .filter(m -> m.getId().equals(id)).findFirst().orElseThrow();
            if (done.test(model.getFilesList())) {
                return model;
            }
            assertThat(System.nanoTime()).as("model %s listed within 30 s as expected: %s", id, model.getFilesList())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static WeightFile file(Model model, String path) {
        return model.getFilesList().stream().filter(f -> f.getPath().equals(path)).findFirst().orElseThrow();
    }
}
