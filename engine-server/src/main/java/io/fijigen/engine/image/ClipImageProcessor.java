package io.fijigen.engine.image;

import io.fijigen.engine.config.ClipImageProcessorConfig;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.ImageShape;

/**
 * transformers' {@code CLIPImageProcessor} (its torchvision backend), the safety checker's
 * feature extractor: each image as the 8-bit picture the reference hands it, its shortest side
 * resized to {@code size} (antialiased bicubic on the 8-bit values), centre-cropped, then
 * rescaled and normalised per channel in one step.
 */
public final class ClipImageProcessor {
    private final ClipImageProcessorConfig config;

    public ClipImageProcessor(ClipImageProcessorConfig config) {
        this.config = config;
    }

    /** {@code images} is [N, H, W, 3] in [0, 1] (a pipeline's result); the result is [N, 3, crop, crop]. */
    public HostTensor preprocess(HostTensor images) {
        if (images.shape().length != 4 || images.dim(3) != 3) {
            throw new IllegalArgumentException("the CLIP image processor takes [N, H, W, 3] images; got "
                    + java.util.Arrays.toString(images.shape()));
        }
        int count = (int) images.dim(0);
        int plane = 3 * config.cropHeight() * config.cropWidth();
        float[] batch = new float[count * plane];
        for (int i = 0; i < count; i++) {
            float[] one = preprocess(ImagePixels.ofNhwc(images, i)).data();
            System.arraycopy(one, 0, batch, i * plane, plane);
        }
        return new HostTensor(batch, ImageShape.nchw(count, 3, config.cropHeight(), config.cropWidth()));
    }

    /** One 8-bit RGB image (HWC) as [1, 3, crop, crop]. */
    HostTensor preprocess(ImagePixels image) {
        ImagePixels resized = ImageResize.antialiasedBicubic(image, resizedHeight(image), resizedWidth(image));
        int cropHeight = config.cropHeight();
        int cropWidth = config.cropWidth();
        // The reference's centre crop: the top-left corner rounds down.
        int top = (resized.height() - cropHeight) / 2;
        int left = (resized.width() - cropWidth) / 2;
        byte[] pixels = resized.data();
        float[] chw = new float[3 * cropHeight * cropWidth];
        for (int c = 0; c < 3; c++) {
            // The reference folds the rescaling into the statistics, (x − mean/r) / (std/r), in float32.
            float mean = (float) config.imageMean()[c] * (float) (1 / config.rescaleFactor());
            float std = (float) config.imageStd()[c] * (float) (1 / config.rescaleFactor());
            for (int y = 0; y < cropHeight; y++) {
                for (int x = 0; x < cropWidth; x++) {
                    int value = pixels[((top + y) * resized.width() + left + x) * 3 + c] & 0xFF;
                    chw[(c * cropHeight + y) * cropWidth + x] = (value - mean) / std;
                }
            }
        }
        return new HostTensor(chw, ImageShape.nchw(1, 3, cropHeight, cropWidth));
    }

    /**
     * transformers' {@code get_resize_output_image_size}: the shortest side becomes {@code size},
     * the other keeps the aspect ratio, truncated to an integer.
     */
    private int resizedHeight(ImagePixels image) {
        return image.height() <= image.width() ? config.shortestEdge() : longSide(image.height(), image.width());
    }

    private int resizedWidth(ImagePixels image) {
        return image.width() < image.height() ? config.shortestEdge() : longSide(image.width(), image.height());
    }

    private int longSide(int longSide, int shortSide) {
        return (int) ((double) config.shortestEdge() * longSide / shortSide);
    }
}
