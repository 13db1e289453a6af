package io.fijigen.engine.weights;

import ai.djl.ndarray.NDArray;

/**
 * A Linear or Conv2d weight, read by its network at every forward pass and replaceable as a whole:
 * merging a LoRA swaps in a merged copy and removing it swaps the loaded tensor back. The loaded
 * tensor itself is never written to (on the CPU a float32 one is the read-only file mapping), so
 * removing a LoRA restores the weight bit for bit.
 */
public final class Parameter {
    private final String name;
    private volatile NDArray value;

    Parameter(String name, NDArray value) {
        this.name = name;
        this.value = value;
    }

    /** The full key the tensor was loaded from. */
    public String name() {
        return name;
    }

    public NDArray get() {
        return value;
    }

    void set(NDArray newValue) {
        value = newValue;
    }

    @Override
    public String toString() {
        return "Parameter[" + name + " " + value.getShape() + "]";
    }
}
