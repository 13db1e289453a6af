package io.fijigen.engine.server;

import com.google.protobuf.ByteString;
import io.fijigen.engine.runtime.ProcessMemory;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Lora;
import io.fijigen.proto.v1.UpscaleRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The measured process of {@link SoakTest}: an engine on loopback runs WARMUP then JOBS
 * generations of every kind in turn, and prints its resident memory and open file descriptors
 * after each phase ("after warm-up: rss KiB N fds M", "after soak: …").
 */
public final class SoakRun {
    private SoakRun() {}

    public static void main(String[] args) throws Exception {
        int warmup = Integer.parseInt(args[0]);
        int jobs = Integer.parseInt(args[1]);
        ByteString image = WireRequests.png(64, 64, 0x6080a0);
        ByteString mask = WireRequests.png(64, 64, 0xffffff);
        try (LoopbackEngine engine = new LoopbackEngine(2)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel);
            for (int i = 0; i < warmup + jobs; i++) {
                JobEvent last = run(stub, i, image, mask);
                if (!last.hasResult()) {
                    throw new IllegalStateException("job " + i + " ended with " + last);
                }
                if (i == warmup - 1) {
                    System.out.println("after warm-up: " + sample());
                }
            }
            System.out.println("after soak: " + sample());
        }
    }

    /** Job {@code i}: txt2img, x4 upscaling, inpainting, ControlNet, img2img and LoRA in turn. */
    private static JobEvent run(EngineGrpc.EngineBlockingStub stub, int i, ByteString image, ByteString mask) {
        GenerateRequest.Builder generate = GenerateRequest.newBuilder().setModelId("tiny-sd15")
                .setPrompt("soak " + i).setSteps(2).setScheduler("ddim").setWidth(64).setHeight(64).setSeed(i);
        // Every model is loaded by the first five jobs (a LoRA only adds a small file), so the warm-up
        // measures a steady state.
        List<JobEvent> events = switch (i % 6) {
            case 0 -> WireRequests.events(stub.generate(generate.build()));
            case 1 -> WireRequests.events(stub.upscale(UpscaleRequest.newBuilder().setModelId("tiny-x4-upscaler")
                    .setImage(WireRequests.png(32, 32, 0x406080)).setPrompt("soak " + i).setSteps(2).build()));
            case 2 -> WireRequests.events(stub.generate(generate.setModelId("tiny-sd15-inpaint").setInitImage(image)
                    .setMask(mask).build()));
            case 3 -> WireRequests.events(stub.generate(generate.addControls(ControlUnit.newBuilder()
                    .setModelId("tiny-controlnet-canny").setImage(image)).build()));
            case 4 -> WireRequests.events(stub.generate(generate.setInitImage(image).setStrength(0.6).build()));
            default -> WireRequests.events(stub.generate(generate.addLoras(Lora.newBuilder().setId("tiny-lora")
                    .setWeight(0.75)).build()));
        };
        return events.get(events.size() - 1);
    }

    private static String sample() throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return "rss KiB " + (ProcessMemory.resident() >> 10) + " fds " + fds.count();
        }
    }
}
