package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.nn.ControlNetModel;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.model.StableDiffusion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Loading the demo registry's tiny models: lazily, once, within a memory budget, least recently used out first. */
class ModelRegistryLoadingTest {
    private static final Path DEMO = Path.of("../models-config/demo.yaml");

    @Test
    void aPipelineLoadsOnFirstUseAndStaysResident() throws IOException {
        try (ModelRegistry registry = new ModelRegistry(RegistryConfig.read(DEMO))) {
            assertThat(registry.isLoaded("tiny-sd15")).isFalse();

            StableDiffusion first = registry.pipeline("tiny-sd15");

            assertThat(registry.isLoaded("tiny-sd15")).isTrue();
            assertThat(registry.pipeline("tiny-sd15")).isSameAs(first);
            assertThat(registry.residentBytes()).isEqualTo(bytesAtFp32("tiny-sd15"));
            assertThat(registry.isLoaded("tiny-sd2")).isFalse();
        }
    }

    @Test
    void fourWorkersAskingAtOnceLoadTheModelOnce() throws Exception {
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try (ModelRegistry registry = new ModelRegistry(RegistryConfig.read(DEMO))) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<StableDiffusion>> loads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                loads.add(workers.submit(() -> {
                    start.await();
                    return registry.pipeline("tiny-sd15");
                }));
            }
            start.countDown();
            StableDiffusion first = loads.get(0).get(2, TimeUnit.MINUTES);
            for (Future<StableDiffusion> load : loads) {
                assertThat(load.get(2, TimeUnit.MINUTES)).isSameAs(first);
            }
            assertThat(registry.residentBytes()).isEqualTo(bytesAtFp32("tiny-sd15"));
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void loadingBeyondTheBudgetUnloadsAndClosesTheLeastRecentlyUsedModel() throws IOException {
        long sd15 = bytesAtFp32("tiny-sd15");
        long sd2 = bytesAtFp32("tiny-sd2");
        try (ModelRegistry registry = budget(sd15 + sd2 / 2)) {
            assertThat(registry.estimatedBytes("tiny-sd15")).isEqualTo(sd15);
            StableDiffusion first = registry.pipeline("tiny-sd15");

            StableDiffusion second = registry.pipeline("tiny-sd2");

            assertThat(registry.isLoaded("tiny-sd15")).isFalse();
            assertThat(first.manager().isOpen()).isFalse();
            assertThat(registry.isLoaded("tiny-sd2")).isTrue();
            assertThat(second.manager().isOpen()).isTrue();
            assertThat(registry.residentBytes()).isEqualTo(sd2);
            assertThat(registry.pipeline("tiny-sd15")).isNotSameAs(first);
            assertThat(registry.isLoaded("tiny-sd2")).isFalse();
        }
    }

    @Test
    void theModelUsedLeastRecentlyGoesFirstNotTheOneLoadedFirst() throws IOException {
        long sd15 = bytesAtFp32("tiny-sd15");
        long controlNet = bytesAtFp32("tiny-controlnet-canny");
        long sd2 = bytesAtFp32("tiny-sd2");
        // Room for tiny-sd15 and tiny-sd2 together, not for the ControlNet as well.
        try (ModelRegistry registry = budget(sd15 + sd2 + controlNet / 2)) {
            StableDiffusion pipeline = registry.pipeline("tiny-sd15");
            ControlNetModel canny = registry.controlNet("tiny-controlnet-canny");
            assertThat(registry.controlNet("tiny-controlnet-canny")).isSameAs(canny);
            assertThat(registry.pipeline("tiny-sd15")).isSameAs(pipeline);

            registry.pipeline("tiny-sd2");

            assertThat(registry.isLoaded("tiny-controlnet-canny")).isFalse();
            assertThat(registry.isLoaded("tiny-sd15")).isTrue();
            assertThat(pipeline.manager().isOpen()).isTrue();
            assertThat(registry.residentBytes()).isEqualTo(sd15 + sd2);
        }
    }

    @Test
    void aModelLargerThanTheWholeBudgetIsRefusedNamingBothSizes() throws IOException {
        long sd15 = bytesAtFp32("tiny-sd15");
        try (ModelRegistry registry = budget(sd15 - 1)) {
            assertThat(registry.memoryBudgetBytes()).isEqualTo(sd15 - 1);
            assertThatThrownBy(() -> registry.pipeline("tiny-sd15"))
                    .isInstanceOfSatisfying(ModelTooLargeException.class, e -> {
                        assertThat(e.modelBytes()).isEqualTo(sd15);
                        assertThat(e.budgetBytes()).isEqualTo(sd15 - 1);
                    })
                    .hasMessageContaining("model 'tiny-sd15' needs about " + sd15 + " bytes")
                    .hasMessageContaining("the whole memory budget is " + (sd15 - 1) + " bytes");
            assertThat(registry.isLoaded("tiny-sd15")).isFalse();
        }
    }

    @Test
    void anUnknownIdIsRefusedListingTheKnownOnes() throws IOException {
        try (ModelRegistry registry = new ModelRegistry(RegistryConfig.read(DEMO))) {
            assertThatThrownBy(() -> registry.pipeline("tiny-sd3"))
                    .isInstanceOfSatisfying(UnknownModelException.class, e -> {
                        assertThat(e.id()).isEqualTo("tiny-sd3");
                        assertThat(e.knownIds()).hasSize(6).contains("tiny-sd15", "tiny-x4-upscaler");
                    })
                    .hasMessage("unknown model 'tiny-sd3'; known models: tiny-sd15, tiny-sd2, tiny-sd15-inpaint,"
                            + " tiny-controlnet-canny, tiny-x4-upscaler, tiny-lora");
            assertThatThrownBy(() -> registry.find("")).isInstanceOf(UnknownModelException.class);
        }
    }

    @Test
    void aModelOfTheWrongKindIsRefusedWithoutLoading() throws IOException {
        try (ModelRegistry registry = new ModelRegistry(RegistryConfig.read(DEMO))) {
            assertThatThrownBy(() -> registry.pipeline("tiny-controlnet-canny"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("model 'tiny-controlnet-canny' is a controlnet model, not a pipeline");
            assertThatThrownBy(() -> registry.controlNet("tiny-sd15"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("model 'tiny-sd15' is a sd15 model, not a ControlNet");
            assertThat(registry.isLoaded("tiny-sd15")).isFalse();
        }
    }

    @Test
    void closingUnloadsEverythingAndRefusesLaterUse() throws IOException {
        ModelRegistry registry = new ModelRegistry(RegistryConfig.read(DEMO));
        StableDiffusion upscaler = registry.pipeline("tiny-x4-upscaler");
        registry.controlNet("tiny-controlnet-canny");

        registry.close();

        assertThat(upscaler.manager().isOpen()).isFalse();
        assertThat(registry.isLoaded("tiny-x4-upscaler")).isFalse();
        assertThat(registry.residentBytes()).isZero();
        assertThatThrownBy(() -> registry.pipeline("tiny-x4-upscaler"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static ModelRegistry budget(long bytes) throws IOException {
        return new ModelRegistry(RegistryConfig.read(DEMO).withMemoryBudget(bytes));
    }

    /** What a model takes loaded as fp32, from its safetensors headers. */
    private static long bytesAtFp32(String name) throws IOException {
        return ModelSummary.of(ParityFixtures.model(name)).parameters() * 4;
    }

    @Test
    void aLeasedModelIsNotEvictedAndALoadGoesOverTheBudgetInstead() throws Exception {
        long sd15 = bytesAtFp32("tiny-sd15");
        long sd2 = bytesAtFp32("tiny-sd2");
        try (ModelRegistry registry = budget(sd15 + sd2 / 2)) {
            try (ModelRegistry.Lease lease = registry.lease(List.of("tiny-sd15"))) {
                StableDiffusion leased = lease.pipeline("tiny-sd15");
                registry.pipeline("tiny-sd2");
                // tiny-sd15 would have been evicted for tiny-sd2, but a job holds it.
                assertThat(registry.isLoaded("tiny-sd15")).isTrue();
                assertThat(leased.manager().isOpen()).isTrue();
                assertThat(registry.residentBytes()).isEqualTo(sd15 + sd2);
            }
            // Released: the next load may evict it again.
            registry.pipeline("tiny-sd15-inpaint");
            assertThat(registry.isLoaded("tiny-sd15")).isFalse();
        }
    }

    @Test
    void aLeaseOfSomethingUnloadableReleasesWhatItTook() throws Exception {
        try (ModelRegistry registry = new ModelRegistry(RegistryConfig.read(DEMO))) {
            assertThatThrownBy(() -> registry.lease(List.of("tiny-sd15", "no-such-model")))
                    .isInstanceOf(UnknownModelException.class);
            // The failed lease left tiny-sd15 loaded but not leased: a lease for it works and releases.
            try (ModelRegistry.Lease lease = registry.lease(List.of("tiny-sd15", "tiny-controlnet-canny"))) {
                assertThat(lease.controlNet("tiny-controlnet-canny")).isNotNull();
                assertThatThrownBy(() -> lease.pipeline("tiny-sd2")).hasMessageContaining("not part of this lease");
            }
        }
    }
}
