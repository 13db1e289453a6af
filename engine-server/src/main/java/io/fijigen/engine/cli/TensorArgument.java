package io.fijigen.engine.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.protobuf.ByteString;
import io.fijigen.engine.image.ImageFiles;
import io.fijigen.engine.image.Masks;
import io.fijigen.engine.image.PngWriter;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.engine.tensor.Layouts;
import io.fijigen.engine.weights.StateDict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * An image or tensor on the command line: an image file (PNG, TIFF, JPEG), or {@code
 * FILE.safetensors#NAME} naming one tensor in a safetensors file.
 */
final class TensorArgument {
    private static final String SEPARATOR = "#";

    private TensorArgument() {}

    /**
     * An image as [N, 3, H, W] in [0, 1]: from an image file, a float tensor in that form or NHWC
     * (a [N, 3, H, 3] tensor is taken as NCHW), or a uint8 [H, W, 3] / [N, H, W, 3] RGB tensor.
     */
    static HostTensor image(String argument) throws IOException {
        if (!isTensorReference(argument)) {
            return ImageFiles.readTensor(Path.of(argument));
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray tensor = load(argument, manager);
            long[] shape = tensor.getShape().getShape();
            if (tensor.getDataType() == DataType.UINT8 && (shape.length == 3 || shape.length == 4)
                    && shape[shape.length - 1] == 3) {
                NDArray batch = shape.length == 3 ? tensor.expandDims(0) : tensor;
                return HostTensor.of(batch.toType(DataType.FLOAT32, false).div(255f).transpose(0, 3, 1, 2));
            }
            if (tensor.getDataType().isFloating() && shape.length == 4 && shape[1] == 3) {
                return HostTensor.of(tensor);
            }
            // What --out-tensor writes: a result read back as it was written, with no 8-bit rounding.
            if (tensor.getDataType().isFloating() && shape.length == 4 && shape[3] == 3) {
                return Layouts.nhwcToNchw(HostTensor.of(tensor));
            }
            throw new IllegalArgumentException(argument + ": expected a float [N, 3, H, W] or [N, H, W, 3] (as"
                    + " --out-tensor writes) image or a uint8 [H, W, 3] RGB image, got " + tensor.getDataType() + " "
                    + Arrays.toString(shape));
        }
    }

    /**
     * An inpainting mask [1, 1, H, W], 1 = repaint: a float tensor of that shape as stored, or any
     * image (file or tensor) whose non-zero pixels are repainted.
     */
    static HostTensor mask(String argument) throws IOException {
        if (isTensorReference(argument)) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                NDArray tensor = load(argument, manager);
                long[] shape = tensor.getShape().getShape();
                if (tensor.getDataType().isFloating() && shape.length == 4 && shape[0] == 1 && shape[1] == 1) {
                    return HostTensor.of(tensor);
                }
            }
        }
        return Masks.fromImage(image(argument));
    }

    /** A float tensor as stored (initial latents, say). */
    static HostTensor floats(String argument) throws IOException {
        if (!isTensorReference(argument)) {
            throw new IllegalArgumentException(argument + ": expected FILE.safetensors#TENSOR_NAME");
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray tensor = load(argument, manager);
            if (!tensor.getDataType().isFloating()) {
                throw new IllegalArgumentException(argument + ": expected a float tensor, got " + tensor.getDataType());
            }
            return HostTensor.of(tensor);
        }
    }

    /** The first image of an [N, 3, H, W] batch in [0, 1] as an 8-bit RGB PNG (an edge map, 0 or 1, exactly). */
    static ByteString png(HostTensor nchw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(PngWriter.toImage(Layouts.nchwToNhwc(nchw), 0), "png", bytes);
        return ByteString.copyFrom(bytes.toByteArray());
    }

    /** Whether the argument names a tensor, {@code FILE.safetensors#NAME}, rather than an image file. */
    static boolean isTensorReference(String argument) {
        int at = argument.lastIndexOf(SEPARATOR);
        return at > 0 && argument.substring(0, at).endsWith(".safetensors");
    }

    private static NDArray load(String argument, NDManager manager) throws IOException {
        int at = argument.lastIndexOf(SEPARATOR);
        Path file = Path.of(argument.substring(0, at));
        String name = argument.substring(at + 1);
        try (StateDict tensors = StateDict.open(List.of(file), manager, DataType.FLOAT32)) {
            return tensors.get(name);
        }
    }
}
