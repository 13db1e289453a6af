package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading the demo registry's tiny models: lazily, once, within a memory budget, least recently used out first. */
class ResidentModelsTest {
    private static final Path DEMO = Path.of("../models-config/demo.yaml");

    @TempDir
    Path dir;

    @Test
    void aPipelineLoadsOnFirstUseAndStaysResident() throws IOException {
        try (ResidentModels models = demo()) {
            assertThat(models.isLoaded("tiny-sd15")).isFalse();

            StableDiffusion first = usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline);

            assertThat(models.isLoaded("tiny-sd15")).isTrue();
            assertThat(usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline)).isSameAs(first);
            assertThat(models.residentBytes()).isEqualTo(bytesAtFp32("tiny-sd15"));
            assertThat(models.isLoaded("tiny-sd2")).isFalse();
        }
    }

    @Test
    void fourWorkersAskingAtOnceLoadTheModelOnce() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try (ResidentModels models = demo()) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<StableDiffusion>> loads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loads.add(workers.submit(() -> {
                    start.await();
                    return usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline);
                }));
            }
            start.countDown();
            StableDiffusion first = loads.get(0).get(2, TimeUnit.MINUTES);
            for (Future<StableDiffusion> load : loads) {
                assertThat(load.get(2, TimeUnit.MINUTES)).isSameAs(first);
            }
            assertThat(models.residentBytes()).isEqualTo(bytesAtFp32("tiny-sd15"));
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void loadingBeyondTheBudgetUnloadsAndClosesTheLeastRecentlyUsedModel() throws IOException {
        long sd15 = bytesAtFp32("tiny-sd15");
        long sd2 = bytesAtFp32("tiny-sd2");
        try (ResidentModels models = budget(sd15 + sd2 / 2)) {
            StableDiffusion first = usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline);

            StableDiffusion second = usedOnce(models, "tiny-sd2", ResidentModels.Lease::pipeline);

            assertThat(models.isLoaded("tiny-sd15")).isFalse();
            assertThat(first.manager().isOpen()).isFalse();
            assertThat(models.isLoaded("tiny-sd2")).isTrue();
            assertThat(second.manager().isOpen()).isTrue();
            assertThat(models.residentBytes()).isEqualTo(sd2);
            assertThat(usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline)).isNotSameAs(first);
            assertThat(models.isLoaded("tiny-sd2")).isFalse();
        }
    }

    @Test
    void theModelUsedLeastRecentlyGoesFirstNotTheOneLoadedFirst() throws IOException {
        long sd15 = bytesAtFp32("tiny-sd15");
        long controlNet = bytesAtFp32("tiny-controlnet-canny");
        long sd2 = bytesAtFp32("tiny-sd2");
        // Room for tiny-sd15 and tiny-sd2 together, not for the ControlNet as well.
        try (ResidentModels models = budget(sd15 + sd2 + controlNet / 2)) {
            StableDiffusion pipeline = usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline);
            ControlNetModel canny = usedOnce(models, "tiny-controlnet-canny", ResidentModels.Lease::controlNet);
            assertThat(usedOnce(models, "tiny-controlnet-canny", ResidentModels.Lease::controlNet)).isSameAs(canny);
            assertThat(usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline)).isSameAs(pipeline);

            usedOnce(models, "tiny-sd2", ResidentModels.Lease::pipeline);

            assertThat(models.isLoaded("tiny-controlnet-canny")).isFalse();
            assertThat(models.isLoaded("tiny-sd15")).isTrue();
            assertThat(pipeline.manager().isOpen()).isTrue();
            assertThat(models.residentBytes()).isEqualTo(sd15 + sd2);
        }
    }

    @Test
    void aModelLargerThanTheWholeBudgetIsRefusedNamingBothSizes() throws IOException {
        long sd15 = bytesAtFp32("tiny-sd15");
        try (ResidentModels models = budget(sd15 - 1)) {
            assertThatThrownBy(() -> models.lease(List.of("tiny-sd15")))
                    .isInstanceOfSatisfying(ModelTooLargeException.class, e -> {
                        assertThat(e.modelBytes()).isEqualTo(sd15);
                        assertThat(e.budgetBytes()).isEqualTo(sd15 - 1);
                    })
                    .hasMessageContaining("model 'tiny-sd15' needs about " + sd15 + " bytes")
                    .hasMessageContaining("the whole memory budget is " + (sd15 - 1) + " bytes");
            assertThat(models.isLoaded("tiny-sd15")).isFalse();
        }
    }

    @Test
    void anUnknownIdIsRefusedListingTheKnownOnes() throws IOException {
        try (ResidentModels models = demo()) {
            assertThatThrownBy(() -> models.lease(List.of("tiny-sd3")))
                    .isInstanceOfSatisfying(UnknownModelException.class, e -> {
                        assertThat(e.id()).isEqualTo("tiny-sd3");
                        assertThat(e.knownIds()).hasSize(6).contains("tiny-sd15", "tiny-x4-upscaler");
                    })
                    .hasMessage("unknown model 'tiny-sd3'; known models: tiny-sd15, tiny-sd2, tiny-sd15-inpaint,"
                            + " tiny-controlnet-canny, tiny-x4-upscaler, tiny-lora");
        }
    }

    @Test
    void aLeaseHandsEachModelOutAsItsKindAndRefusesAnother() throws IOException {
        try (ResidentModels models = demo();
                ResidentModels.Lease lease = models.lease(List.of("tiny-sd15", "tiny-controlnet-canny"))) {
            assertThat(lease.pipeline("tiny-sd15").manager().isOpen()).isTrue();
            assertThat(lease.controlNet("tiny-controlnet-canny").config().conditioningChannels()).isEqualTo(3);

            assertThatThrownBy(() -> lease.pipeline("tiny-controlnet-canny"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("model 'tiny-controlnet-canny' is a controlnet model, not a pipeline");
            assertThatThrownBy(() -> lease.controlNet("tiny-sd15"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("model 'tiny-sd15' is a sd15 model, not a ControlNet");
            assertThatThrownBy(() -> lease.safetyChecker("tiny-sd15"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("model 'tiny-sd15' is a sd15 model, not a safety checker");
            assertThatThrownBy(() -> lease.pipeline("tiny-sd2"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("model 'tiny-sd2' is not part of this lease");
        }
    }

    @Test
    void aFailedLeaseReleasesWhatItTook() throws Exception {
        long sd15 = bytesAtFp32("tiny-sd15");
        long sd2 = bytesAtFp32("tiny-sd2");
        try (ResidentModels models = budget(sd15 + sd2 / 2)) {
            assertThatThrownBy(() -> models.lease(List.of("tiny-sd15", "tiny-lora")))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("model 'tiny-lora' cannot be loaded on its own");
            assertThatThrownBy(() -> models.lease(List.of("tiny-sd15", "no-such-model")))
                    .isInstanceOf(UnknownModelException.class);
            assertThat(models.isLoaded("tiny-sd15")).isTrue();
            assertThat(models.isLoaded("tiny-lora")).isFalse();

            usedOnce(models, "tiny-sd2", ResidentModels.Lease::pipeline);

            // Neither failed lease still holds tiny-sd15: it made room for tiny-sd2.
            assertThat(models.isLoaded("tiny-sd15")).isFalse();
            assertThat(models.residentBytes()).isEqualTo(sd2);
        }
    }

    @Test
    void aLeasedModelIsNotEvictedAndALoadGoesOverTheBudgetInstead() throws Exception {
        long sd15 = bytesAtFp32("tiny-sd15");
        long sd2 = bytesAtFp32("tiny-sd2");
        try (ResidentModels models = budget(sd15 + sd2 / 2)) {
            try (ResidentModels.Lease lease = models.lease(List.of("tiny-sd15"))) {
                StableDiffusion leased = lease.pipeline("tiny-sd15");
                usedOnce(models, "tiny-sd2", ResidentModels.Lease::pipeline);
                // tiny-sd15 would have been evicted for tiny-sd2, but a job holds it.
                assertThat(models.isLoaded("tiny-sd15")).isTrue();
                assertThat(leased.manager().isOpen()).isTrue();
                assertThat(models.residentBytes()).isEqualTo(sd15 + sd2);
            }
            // Released: the next load may evict it again.
            usedOnce(models, "tiny-sd15-inpaint", ResidentModels.Lease::pipeline);
            assertThat(models.isLoaded("tiny-sd15")).isFalse();
        }
    }

    @Test
    void aModelWithAFileLinkedOutOfTheRootsIsRefusedBeforeLoading() throws IOException {
        Path model = Files.createDirectories(dir.resolve("models/m/unet"));
        Files.writeString(model.getParent().resolve("model_index.json"), "{}");
        Files.writeString(dir.resolve("weights.safetensors"), "");
        Files.createSymbolicLink(model.resolve("diffusion_pytorch_model.safetensors"),
                dir.resolve("weights.safetensors"));
        Path file = Files.writeString(dir.resolve("registry.yaml"), "roots: [models]\nmodels:\n"
                + "  - {id: m, kind: sd15, path: m}\n");
        try (ResidentModels models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(file)))) {
            assertThatThrownBy(() -> models.lease(List.of("m")))
                    .isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("diffusion_pytorch_model.safetensors")
                    .hasMessageContaining("resolves outside the model roots");
            assertThat(models.isLoaded("m")).isFalse();
        }
    }

    @Test
    void aGpuModelOnAMachineWithoutOneFailsBeforeEvictingAnything() throws IOException {
        assumeTrue(TorchRuntime.engine().getGpuCount() == 0, "this machine has a GPU");
        long sd15 = bytesAtFp32("tiny-sd15");
        long sd2 = bytesAtFp32("tiny-sd2");
        Path file = Files.writeString(dir.resolve("registry.yaml"), "roots: [" + ParityFixtures.ROOT.resolve("models")
                + "]\nmodels:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: gpu-sd2, kind: sd2, path: tiny-sd2, device: gpu}\n");
        RegistryConfig config = RegistryConfig.read(file).withMemoryBudget(sd15 + sd2 / 2);
        try (ResidentModels models = new ResidentModels(new ModelCatalogue(config))) {
            StableDiffusion pipeline = usedOnce(models, "tiny-sd15", ResidentModels.Lease::pipeline);

            assertThatThrownBy(() -> models.lease(List.of("gpu-sd2")))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("device gpu: libtorch sees no GPU");

            assertThat(models.isLoaded("tiny-sd15")).isTrue();
            assertThat(pipeline.manager().isOpen()).isTrue();
            assertThat(models.residentBytes()).isEqualTo(sd15);
        }
    }

    @Test
    void closingUnloadsEverythingAndRefusesLaterUse() throws IOException {
        ResidentModels models = demo();
        StableDiffusion upscaler = usedOnce(models, "tiny-x4-upscaler", ResidentModels.Lease::pipeline);
        usedOnce(models, "tiny-controlnet-canny", ResidentModels.Lease::controlNet);

        models.close();

        assertThat(upscaler.manager().isOpen()).isFalse();
        assertThat(models.isLoaded("tiny-x4-upscaler")).isFalse();
        assertThat(models.residentBytes()).isZero();
        assertThatThrownBy(() -> models.lease(List.of("tiny-x4-upscaler")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static ResidentModels demo() throws IOException {
        return new ResidentModels(new ModelCatalogue(RegistryConfig.read(DEMO)));
    }

    private static ResidentModels budget(long bytes) throws IOException {
        return new ResidentModels(new ModelCatalogue(RegistryConfig.read(DEMO).withMemoryBudget(bytes)));
    }

    /** The model, leased for this call only: resident afterwards but free to be evicted, as after a job. */
    private static <T> T usedOnce(ResidentModels models, String id, BiFunction<ResidentModels.Lease, String, T> model)
            throws IOException {
        try (ResidentModels.Lease lease = models.lease(List.of(id))) {
            return model.apply(lease, id);
        }
    }

    /** What a model takes loaded as fp32, from its safetensors headers. */
    private static long bytesAtFp32(String name) throws IOException {
        return ModelSummary.of(ParityFixtures.model(name)).parameters() * 4;
    }
}
