package io.fijigen.engine.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.fijigen.engine.config.ClipVisionConfig;
import io.fijigen.engine.weights.StateDict;

/**
 * transformers' {@code CLIPVisionEmbeddings}: the image cut into patches by a strided convolution
 * (no bias), a learned class token in front, a learned position embedding added to each.
 */
public final class CLIPVisionEmbeddings {
    private final int imageSize;
    private final NDArray classEmbedding;
    private final Conv2d patchEmbedding;
    private final NDArray positionEmbedding;

    public CLIPVisionEmbeddings(ClipVisionConfig config, StateDict weights) {
        this.imageSize = config.imageSize();
        this.classEmbedding = weights.get("class_embedding");
        this.patchEmbedding = Conv2d.load(weights.scope("patch_embedding"), config.patchSize(), 0);
        this.positionEmbedding = weights.get("position_embedding.weight");
        if (positionEmbedding.getShape().get(0) != config.numPositions()) {
            throw new IllegalArgumentException("position_embedding has " + positionEmbedding.getShape().get(0)
                    + " rows but image_size " + imageSize + " / patch_size " + config.patchSize() + " needs "
                    + config.numPositions());
        }
    }

    /** {@code pixelValues} is [B, C, image_size, image_size]; the result is [B, 1 + patches, hidden]. */
    public NDArray forward(NDArray pixelValues) {
        Shape shape = pixelValues.getShape();
        if (shape.dimension() != 4 || shape.get(2) != imageSize || shape.get(3) != imageSize) {
            throw new IllegalArgumentException("the vision model takes [B, C, " + imageSize + ", " + imageSize
                    + "] images; got " + shape);
        }
        long batch = shape.get(0);
        return Ops.scoped(pixelValues, () -> {
            NDArray patches = patchEmbedding.forward(pixelValues.toType(classEmbedding.getDataType(), false));
            patches = patches.reshape(batch, patches.getShape().get(1), -1).transpose(0, 2, 1);
            NDArray classToken = classEmbedding.reshape(1, 1, -1);
            classToken.attach(pixelValues.getManager());
            return classToken.repeat(0, batch).concat(patches, 1).add(positionEmbedding);
        });
    }
}
