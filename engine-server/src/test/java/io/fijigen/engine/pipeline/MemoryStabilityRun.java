package io.fijigen.engine.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.runtime.ProcessMemory;

/**
 * The measured process of {@link MemoryStabilityTest}: 2 warm-up generations, then 20 more,
 * printing the resident set size before and after the 20 ("rss KiB BEFORE AFTER").
 */
public final class MemoryStabilityRun {
    private MemoryStabilityRun() {}

    public static void main(String[] args) throws Exception {
        try (StableDiffusion sd = StableDiffusion.load(ParityFixtures.model("tiny-sd15"), Device.cpu(), DataType.FLOAT32)) {
            GenerationRequest.Builder request = PipelineParityTest.fixtureRequest().scheduler(args[0]);
            for (int i = 0; i < 2; i++) {
                Pipelines.generate(sd, request.seed(i).build(), StepListener.NONE);
            }
            long before = rssKiB();
            for (int i = 0; i < 20; i++) {
                Pipelines.generate(sd, request.seed(100 + i).build(), StepListener.NONE);
            }
            System.out.println("rss KiB " + before + " " + rssKiB());
        }
    }

    private static long rssKiB() {
        long bytes = ProcessMemory.resident();
        if (bytes < 0) {
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }
        return bytes >> 10;
    }
}
