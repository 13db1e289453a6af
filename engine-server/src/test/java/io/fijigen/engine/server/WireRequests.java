package io.fijigen.engine.server;

import ai.djl.ndarray.NDArray;
import com.google.protobuf.ByteString;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Image;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;

/** Requests and streams on the wire, for the server tests. */
final class WireRequests {
    private WireRequests() {}

    static Tensor tensor(NDArray array) {
        return WireTensors.of(HostTensor.of(array));
    }

    /** The fixture's txt2img request: tiny-sd15, 5 DDIM steps, 128², given latents. */
    static GenerateRequest.Builder fixtureRequest(ParityFixtures.Session session) {
        return GenerateRequest.newBuilder()
                .setModelId("tiny-sd15")
                .setPrompt("A cyberpunk city, neon lights")
                .setNegativePrompt("blurry")
                .setSteps(5)
                .setGuidance(7.5)
                .setScheduler("ddim")
                .setWidth(128)
                .setHeight(128)
                .setSeed(0)
                .setLatents(tensor(session.golden("pipe.latents")));
    }

    /** max |pixel / 255 − reference| of a result PNG against an NHWC [1, H, W, 3] reference image. */
    static double maxDifference(Image image, NDArray reference) throws IOException {
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(image.getPng().toByteArray()));
        float[] values = reference.toFloatArray();
        int width = png.getWidth();
        double worst = 0;
        for (int y = 0; y < png.getHeight(); y++) {
            for (int x = 0; x < width; x++) {
                int rgb = png.getRGB(x, y);
                int[] channels = {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff};
                for (int c = 0; c < 3; c++) {
                    worst = Math.max(worst, Math.abs(channels[c] / 255.0 - values[(y * width + x) * 3 + c]));
                }
            }
        }
        return worst;
    }

    static List<JobEvent> events(Iterator<JobEvent> stream) {
        List<JobEvent> events = new ArrayList<>();
        stream.forEachRemaining(events::add);
        return events;
    }

    /** A PNG of one colour. */
    static ByteString png(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return ByteString.copyFrom(bytes.toByteArray());
    }

    /** The first 33 bytes of a PNG declaring {@code width}×{@code height}: a decompression bomb's header. */
    static byte[] pngHeader(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(33);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }
}
