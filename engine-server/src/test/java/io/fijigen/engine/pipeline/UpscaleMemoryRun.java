package io.fijigen.engine.pipeline;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.model.Tiling;
import io.fijigen.engine.runtime.ProcessMemory;
import io.fijigen.engine.tensor.HostTensor;
import java.util.Random;

/**
 * The measured process of {@link UpscaleMemoryTest}: one x4 upscale of a random SIDE×SIDE image
 * with 64-pixel tiles, printing the process's peak resident set ("peak KiB N").
 */
public final class UpscaleMemoryRun {
    private UpscaleMemoryRun() {}

    public static void main(String[] args) throws Exception {
        int side = Integer.parseInt(args[0]);
        Random random = new Random(side);
        float[] pixels = new float[3 * side * side];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256) / 255f;
        }
        try (StableDiffusion model = StableDiffusion.load(ParityFixtures.model("tiny-x4-upscaler"), Device.cpu(),
                DataType.FLOAT32)) {
            GenerationRequest generation = GenerationRequest.builder("a sharp photo").steps(2).guidance(9.0).seed(1).build();
            HostTensor image = new HostTensor(pixels, new long[] {1, 3, side, side});
            HostTensor out = Upscale.generate(model, new UpscaleRequest(generation, image, 20, new Tiling(64, 16)),
                    StepListener.NONE).images();
            System.out.println("output " + out.dim(2) + "x" + out.dim(1));
        }
        System.out.println("peak KiB " + (ProcessMemory.peakResident() >> 10));
    }
}
