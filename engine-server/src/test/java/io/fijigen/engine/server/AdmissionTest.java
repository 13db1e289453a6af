package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.CannyThresholds;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Lora;
import io.fijigen.proto.v1.Refine;
import io.fijigen.proto.v1.Tensor;
import io.fijigen.proto.v1.UpscaleRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Admission (issue 18, items 1, 2, 5, 9, 14): a request the server will refuse is refused before
 * it is queued (its stream's first event is the error), within a second, naming the field, and a
 * large image behind a bad field costs a header read, not a decode (the test JVM's RSS, where the
 * server runs, barely moves). Each case prints its status, seconds and RSS growth.
 */
class AdmissionTest {
    private static final long ANSWER_MS = 1000;
    /** RSS growth allowed for a refusal; decoding a 4096² image as floats alone takes 200 MB. */
    private static final long RSS_GROWTH_BYTES = 150L << 20;

    private static ResidentModels models;
    private static DeviceQueues queues;
    private static EngineServer server;
    private static ManagedChannel channel;
    private static ByteString smallPng;

    @BeforeAll
    static void start() throws Exception {
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(Path.of("../models-config/demo.yaml"))));
        queues = new DeviceQueues(2);
        server = EngineServer.start(ServerSettings.defaults().withPort(0), new EngineService(models, queues));
        channel = ClientChannels.open("127.0.0.1:" + server.port(), null, false, null);
        smallPng = WireRequests.png(64, 64, 0x808080);
        // The first call sets the connection up: not part of any answer's time.
        GrpcProbes.firstModelId(channel);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdown();
        queues.close();
        models.close();
    }

    /** What a refused call gave: its status, the events streamed before it, its time and RSS growth. */
    private record Refusal(Status status, List<JobEvent> before, double seconds, long rssGrowth) {
        Refusal assertRefused(Status.Code code, String... words) {
            assertThat(status.getCode()).as(status.toString()).isEqualTo(code);
            assertThat(status.getDescription()).contains(words);
            assertThat(before).as("events before the error").isEmpty();
            assertThat(seconds).isLessThan(ANSWER_MS / 1000.0);
            return this;
        }

        void assertSmallRss() {
            assertThat(rssGrowth).isLessThan(RSS_GROWTH_BYTES);
        }
    }

    private static Refusal refusal(String name, Supplier<Iterator<?>> call) {
        System.gc();
        long rss = rssBytes();
        long sent = System.nanoTime();
        List<JobEvent> before = new ArrayList<>();
        Status status = Status.OK;
        try {
            Iterator<?> events = call.get();
            while (events.hasNext()) {
                Object event = events.next();
                if (event instanceof JobEvent job) {
                    before.add(job);
                }
            }
        } catch (StatusRuntimeException e) {
            status = e.getStatus();
        }
        double seconds = (System.nanoTime() - sent) / 1e9;
        long growth = rssBytes() - rss;
        System.out.printf("admission %-28s %-18s %.3f s  RSS %+d MB  events before: %d  %s%n", name,
                status.getCode(), seconds, growth >> 20, before.size(), status.getDescription());
        return new Refusal(status, before, seconds, growth);
    }

    private static Refusal generate(String name, GenerateRequest.Builder request) {
        return refusal(name, () -> stub().generate(request.build()));
    }

    private static Refusal upscale(String name, UpscaleRequest.Builder request) {
        return refusal(name, () -> stub().upscale(request.build()));
    }

    private static Refusal canny(String name, CannyRequest.Builder request) {
        return refusal(name, () -> List.of(stub().canny(request.build())).iterator());
    }

    private static EngineGrpc.EngineBlockingStub stub() {
        return EngineGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static GenerateRequest.Builder txt2img() {
        return GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cat").setSteps(2)
                .setWidth(64).setHeight(64).setSeed(1);
    }

    private static GenerateRequest.Builder inpaint(ByteString mask) {
        return txt2img().setInitImage(smallPng).setMask(mask).clearWidth().clearHeight();
    }

    @Test
    void countsOutsideTheTableAreInvalidArgumentsBeforeQueueing() {
        generate("num_images 17", txt2img().setNumImages(17))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "num_images", "1..16");
        generate("num_images 2^31-1", txt2img().setNumImages(Integer.MAX_VALUE))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "num_images");
        generate("clip_skip 99", txt2img().setClipSkip(99))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "clip_skip", "99");
        generate("preview_every -1", txt2img().setPreviewEvery(-1))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "preview_every");
        generate("strength 2", txt2img().setInitImage(smallPng).setStrength(2))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "strength");
    }

    @Test
    void masksAndLatentsAreCheckedBeforeQueueing() {
        generate("empty mask", inpaint(WireRequests.png(64, 64, 0)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "mask", "empty");
        generate("mask of another size", inpaint(WireRequests.png(32, 32, 0xffffff)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "mask", "32x32");
        generate("latents of a wrong shape", txt2img().setLatents(tensor(new long[] {1, 4, 9, 9}, 0f)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "latents", "[1, 4, 8, 8]");
        generate("latents NaN", txt2img().setLatents(tensor(new long[] {1, 4, 8, 8}, Float.NaN)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "latents", "NaN");
    }

    @Test
    void numbersThatAreNotFiniteOrOutOfRangeAreRefused() {
        generate("prompt weight NaN", txt2img().setPrompt("(a:NaN) cat"))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "prompt", "NaN");
        generate("control scale 3e38", txt2img().addControls(ControlUnit.newBuilder()
                        .setModelId("tiny-controlnet-canny").setImage(smallPng).setScale(3e38)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "controls[0].scale", "0..10");
        upscale("factor 1e-300", UpscaleRequest.newBuilder().setImage(smallPng).setFactor(1e-300))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "factor");
        upscale("noise_level 1000", UpscaleRequest.newBuilder().setModelId("tiny-x4-upscaler").setImage(smallPng)
                        .setNoiseLevel(1000).setSteps(1))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "noise_level", "0..");
        canny("canny 1x1", CannyRequest.newBuilder().setImage(WireRequests.png(1, 1, 0)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "image", "1×1", "8");
        canny("canny low NaN", CannyRequest.newBuilder().setImage(smallPng).setLow(Double.NaN))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "low");
        canny("canny low above high", CannyRequest.newBuilder().setImage(smallPng).setLow(300).setHigh(200))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "low", "high");
    }

    @Test
    void anUpscalesTimestepSpacingAndEtaAreCheckedBeforeQueueing() {
        UpscaleRequest.Builder x4 = UpscaleRequest.newBuilder().setModelId("tiny-x4-upscaler").setImage(smallPng)
                .setSteps(1);
        upscale("upscale eta 1.5", x4.clone().setEta(1.5))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "eta: 1.5 is outside 0..1");
        upscale("upscale eta with euler", x4.clone().setScheduler("euler").setEta(0.5))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "eta: euler takes no eta (only ddim and tcd do)");
        upscale("upscale spacing sideways", x4.clone().setTimestepSpacing("sideways"))
                .assertRefused(Status.Code.INVALID_ARGUMENT,
                        "timestep_spacing: 'sideways' is not a spacing (use leading, linspace, trailing)");
        upscale("refine eta -0.1", UpscaleRequest.newBuilder().setImage(smallPng).setFactor(2)
                        .setRefine(Refine.newBuilder().setModelId("tiny-sd15").setScheduler("ddim").setEta(-0.1)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "refine.eta: -0.1 is outside 0..1");
        upscale("refine spacing sideways", UpscaleRequest.newBuilder().setImage(smallPng).setFactor(2)
                        .setRefine(Refine.newBuilder().setModelId("tiny-sd15").setTimestepSpacing("sideways")))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "refine.timestep_spacing: 'sideways' is not a spacing");
    }

    @Test
    void sizeConditioningIsRefusedOnModelsOtherThanSdxlAndOutOfRange() {
        generate("original_size on sd15", txt2img().setOriginalSize(io.fijigen.proto.v1.Size.newBuilder()
                .setWidth(1024).setHeight(1024)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "original_size", "SDXL", "tiny-sd15");
        generate("target_size 0 wide", txt2img().setTargetSize(io.fijigen.proto.v1.Size.newBuilder().setHeight(64)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "target_size.width: 0 is outside 1..16384");
    }

    @Test
    void pndmWithAThousandStepsIsRefusedNamingTheLimit() {
        generate("pndm 1000 steps", txt2img().setScheduler("pndm").setSteps(1000))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "steps", "1000", "999");
    }

    @Test
    void unitsAndLorasAreCountedBeforeAnyImageIsDecoded() {
        ByteString huge = flatPng(4096, 4096, 8, 2);
        GenerateRequest.Builder thirty = txt2img().setInitImage(huge).setWidth(4).clearHeight();
        for (int i = 0; i < 30; i++) {
            thirty.addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-canny")
                    .setCannyFromInit(CannyThresholds.getDefaultInstance()));
        }
        generate("30 units, 4096² init, width 4", thirty)
                .assertRefused(Status.Code.INVALID_ARGUMENT, "controls", "30", "4").assertSmallRss();
        generate("4096² init, width 4", txt2img().setInitImage(huge).setWidth(4))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "width").assertSmallRss();
        GenerateRequest.Builder loras = txt2img();
        for (int i = 0; i < 9; i++) {
            loras.addLoras(Lora.newBuilder().setId("tiny-lora"));
        }
        generate("9 LoRAs", loras).assertRefused(Status.Code.INVALID_ARGUMENT, "loras", "9", "8");
        generate("4096² init", txt2img().setInitImage(huge).clearWidth().clearHeight())
                .assertRefused(Status.Code.INVALID_ARGUMENT, "init_image", "4096", "2048").assertSmallRss();
        generate("4096² control image", txt2img().addControls(ControlUnit.newBuilder()
                        .setModelId("tiny-controlnet-canny").setImage(huge)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "controls[0].image", "2048").assertSmallRss();
        // A unit's start and end before any image: the junk init image is never looked at.
        generate("unit end 2, junk init", txt2img().setInitImage(ByteString.copyFromUtf8("junk"))
                .addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-canny").setEnd(2)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "controls[0].end", "(start, 1]");
    }

    @Test
    void onlyPngsAreAcceptedAndTheirHeadersBoundTheDecoding() throws IOException {
        generate("TIFF init", txt2img().setInitImage(encoded("tiff")))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "init_image", "PNG").assertSmallRss();
        generate("JPEG init", txt2img().setInitImage(encoded("jpeg")))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "init_image", "PNG");
        upscale("TIFF upscale image", UpscaleRequest.newBuilder().setImage(encoded("tiff")))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "image", "PNG");
        canny("JPEG canny image", CannyRequest.newBuilder().setImage(encoded("jpeg")))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "image", "PNG");
        // The output bounds the input: x4 of 2048² would be 8192² pixels.
        upscale("2048² upscaled x4", UpscaleRequest.newBuilder().setImage(flatPng(2048, 2048, 16, 6)))
                .assertRefused(Status.Code.INVALID_ARGUMENT, "image", "2048", "1024").assertSmallRss();
    }

    @Test
    void aJobBeyondTheMemoryBudgetIsRefusedBeforeQueueing() {
        GenerateRequest.Builder big = txt2img().setWidth(2048).setHeight(2048).setNumImages(16);
        for (int i = 0; i < 4; i++) {
            big.addControls(ControlUnit.newBuilder().setModelId("tiny-controlnet-canny").setImage(smallPng));
        }
        generate("16 × 2048², 4 units", big)
                .assertRefused(Status.Code.RESOURCE_EXHAUSTED, "job budget", "1024 MiB").assertSmallRss();
    }

    private static Tensor tensor(long[] shape, float value) {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) count * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            bytes.putFloat(value);
        }
        Tensor.Builder tensor = Tensor.newBuilder().setData(ByteString.copyFrom(bytes.array()));
        for (long dim : shape) {
            tensor.addShape(dim);
        }
        return tensor.build();
    }

    /** A 64² image in another format than PNG. */
    private static ByteString encoded(String format) throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, bytes)).isTrue();
        return ByteString.copyFrom(bytes.toByteArray());
    }

    /** A valid black PNG, written chunk by chunk: big in pixels, small in bytes. */
    private static ByteString flatPng(int width, int height, int bitDepth, int colourType) {
        int samples = colourType == 6 ? 4 : colourType == 2 ? 3 : 1;
        int row = 1 + width * samples * bitDepth / 8;
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) bitDepth)
                    .put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
            ByteArrayOutputStream compressed = new ByteArrayOutputStream();
            try (DeflaterOutputStream deflate = new DeflaterOutputStream(compressed)) {
                byte[] zeros = new byte[row];
                for (int y = 0; y < height; y++) {
                    deflate.write(zeros);
                }
            }
            chunk(png, "IDAT", compressed.toByteArray());
            chunk(png, "IEND", new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ByteString.copyFrom(png.toByteArray());
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.write(ByteBuffer.allocate(4).putInt(data.length).array());
        png.write(typeBytes);
        png.write(data);
        png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** The resident set of this JVM, where the server runs. */
    private static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
