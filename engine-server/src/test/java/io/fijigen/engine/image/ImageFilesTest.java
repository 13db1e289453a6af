package io.fijigen.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.tensor.HostTensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image files as tensors: PNG, TIFF and JPEG decode to [1, 3, H, W]; bad files fail before decoding where possible. */
class ImageFilesTest {
    @TempDir
    Path dir;

    private Path write(BufferedImage image, String format, String name) throws IOException {
        Path file = dir.resolve(name);
        assertThat(ImageIO.write(image, format, file.toFile())).isTrue();
        return file;
    }

    @Test
    void greyTiffIsReplicatedToRgb() throws Exception {
        BufferedImage grey = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(2, 1, 0, 204);
        HostTensor tensor = ImageFiles.readTensor(write(grey, "tiff", "grey.tif"));
        assertThat(tensor.shape()).containsExactly(1, 3, 2, 3);
        int last = 1 * 3 + 2;
        for (int channel = 0; channel < 3; channel++) {
            assertThat(tensor.data()[channel * 6 + last]).isEqualTo(0.8f);
            assertThat(tensor.data()[channel * 6]).isZero();
        }
    }

    @Test
    void jpegDecodes() throws Exception {
        BufferedImage white = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        white.getGraphics().fillRect(0, 0, 16, 8);
        HostTensor tensor = ImageFiles.readTensor(write(white, "jpeg", "white.jpg"));
        assertThat(tensor.shape()).containsExactly(1, 3, 8, 16);
        assertThat(tensor.data()[0]).isEqualTo(1f);
    }

    @Test
    void imageLargerThanTheLimitIsRejectedFromItsHeader() throws Exception {
        Path wide = write(new BufferedImage(ImageFiles.MAX_SIDE + 1, 1, BufferedImage.TYPE_INT_RGB), "png", "wide.png");
        assertThatThrownBy(() -> ImageFiles.readTensor(wide))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("wide.png")
                .hasMessageContaining("is 4097×1 pixels; sides above 4096 are not supported");
    }

    @Test
    void truncatedPngFailsToDecodeWithItsName() throws Exception {
        Path good = write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", "good.png");
        byte[] bytes = Files.readAllBytes(good);
        Path cut = dir.resolve("cut.png");
        Files.write(cut, java.util.Arrays.copyOf(bytes, 40));
        assertThatThrownBy(() -> ImageFiles.readTensor(cut))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cut.png")
                .hasMessageContaining("truncated PNG");
    }

    /** Cut after its pixels, only the end chunk missing: ImageIO would decode it, the engine refuses it. */
    @Test
    void pngWithoutItsEndChunkIsTruncatedToo() throws Exception {
        Path good = write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", "good.png");
        byte[] bytes = Files.readAllBytes(good);
        byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 12);
        assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(cut))).isNotNull();
        assertThatThrownBy(() -> ImageFiles.decode(cut, "init_image", 4096))
                .isInstanceOf(IOException.class)
                .hasMessage("init_image: corrupt image: truncated PNG (it does not end with its IEND chunk)");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ImageFiles.readTensor(dir.resolve("absent.png")))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("absent.png");
    }

    /** A PNG signature and an IHDR chunk (with its CRC) announcing width × height, and no pixels at all. */
    private static byte[] pngHeader(int width, int height) {
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        java.nio.ByteBuffer png = java.nio.ByteBuffer.allocate(8 + 4 + 17 + 4);
        png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}).putInt(13).put(ihdr.array())
                .putInt((int) crc.getValue());
        return png.array();
    }

    @Test
    void aHugePngHeaderIsRefusedBeforeAnyPixelIsDecoded() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> ImageFiles.decode(pngHeader(100_000, 100_000), "init_image", ImageFiles.MAX_SIDE))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("init_image is 100000×100000 pixels; sides from 8 to 4096 are accepted here");
        // Decoding 10^10 pixels would take minutes and 30 GB; refusing from the header is instant.
        assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
    }

    @Test
    void sixteenBitGreyKeepsItsPrecision() throws Exception {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(0, 0, 0, 65535);
        grey.getRaster().setSample(1, 0, 0, 1000);
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        ImageIO.write(grey, "png", png);
        HostTensor tensor = ImageFiles.toTensor(ImageFiles.decode(png.toByteArray(), "image", 64), "image");
        assertThat(tensor.shape()).containsExactly(1, 3, 8, 8);
        // 1000 / 65535 is finer than any 8-bit level (1/255 ≈ 0.0039).
        for (int channel = 0; channel < 3; channel++) {
            assertThat(tensor.data()[channel * 64]).isEqualTo(1f);
            assertThat(tensor.data()[channel * 64 + 1]).isEqualTo(1000 / 65535f);
        }
    }

    @Test
    void bytesOffTheWireArePngOnlyAndAtLeastEightPixelsASide() throws Exception {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        byte[] tiff = Files.readAllBytes(write(image, "tiff", "image.tif"));
        assertThatThrownBy(() -> ImageFiles.decode(tiff, "init_image", 64)).isInstanceOf(IOException.class)
                .hasMessage("init_image: not a PNG (images are taken as PNG only)");
        byte[] tiny = Files.readAllBytes(write(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), "png", "1.png"));
        assertThatThrownBy(() -> ImageFiles.decode(tiny, "image", 64))
                .hasMessage("image is 1×1 pixels; sides from 8 to 64 are accepted here");
    }

    /** The command line converts what the server does not take: a 16-bit grey TIFF arrives as the same values. */
    @Test
    void aTiffFileIsSentAsAPngOfTheSameSamples() throws Exception {
        BufferedImage grey = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSample(3, 2, 0, 1234);
        Path tiff = write(grey, "tiff", "grey16.tif");
        byte[] png = ImageFiles.pngBytes(tiff);
        HostTensor sent = ImageFiles.toTensor(ImageFiles.decode(png, "init_image", 64), "init_image");
        assertThat(sent).isEqualTo(ImageFiles.readTensor(tiff));
        assertThat(sent.data()[2 * 8 + 3]).isEqualTo(1234 / 65535f);
        Path pngFile = write(grey, "png", "grey16.png");
        assertThat(ImageFiles.pngBytes(pngFile)).isEqualTo(Files.readAllBytes(pngFile));
    }
}
