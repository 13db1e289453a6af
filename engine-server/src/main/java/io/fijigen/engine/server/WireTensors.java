package io.fijigen.engine.server;

import com.google.protobuf.ByteString;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** The proto's {@code Tensor} (float32 little-endian, row-major) to and from the engine's host tensors. */
public final class WireTensors {
    private WireTensors() {}

    public static Tensor of(HostTensor values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values.data());
        Tensor.Builder tensor = Tensor.newBuilder().setData(ByteString.copyFrom(bytes.array()));
        for (long dim : values.shape()) {
            tensor.addShape(dim);
        }
        return tensor.build();
    }

    /** A tensor off the wire, its shape and byte count checked against each other, every value finite. */
    public static HostTensor of(String field, Tensor wire) {
        long count = 1;
        for (long dim : wire.getShapeList()) {
            if (dim < 1) {
                throw new InvalidRequestException(field, field + ": shape " + wire.getShapeList()
                        + " has a dimension below 1");
            }
            count = Math.multiplyExact(count, dim);
        }
        if (wire.getShapeCount() == 0 || count * Float.BYTES != wire.getData().size()) {
            throw new InvalidRequestException(field, field + ": shape " + wire.getShapeList() + " needs "
                    + count * Float.BYTES + " bytes of float32, got " + wire.getData().size());
        }
        float[] data = new float[(int) count];
        wire.getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new InvalidRequestException(field, field + ": value " + i + " is " + data[i] + ", not a number");
            }
        }
        return new HostTensor(data, wire.getShapeList().stream().mapToLong(Long::longValue).toArray());
    }

    /** {@link #of(String, Tensor)} for an image or mask: [batch, channels, H, W] with the sides of input images. */
    static HostTensor image(String field, Tensor wire, int channels, long maxBatch) {
        HostTensor image = of(field, wire);
        long[] shape = image.shape();
        if (shape.length != 4 || shape[0] < 1 || shape[0] > maxBatch || shape[1] != channels) {
            throw new InvalidRequestException(field, field + ": shape " + Arrays.toString(shape) + " is not ["
                    + (maxBatch == 1 ? "1" : "1 or " + maxBatch) + ", " + channels + ", H, W]");
        }
        for (int axis = 2; axis < 4; axis++) {
            RequestField.IMAGE_SIDE.check(field, (int) Math.min(shape[axis], Integer.MAX_VALUE));
        }
        return image;
    }
}
