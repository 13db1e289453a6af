package io.fijigen.engine.weights;

import java.util.Optional;

/** The safetensors element types fijigen reads; constant names are the file format's names. */
public enum TensorDtype {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    U8(1);

    private final int bytes;

    TensorDtype(int bytes) {
        this.bytes = bytes;
    }

    /** Size of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** The dtype a header names, or empty for one fijigen does not support (F8_E4M3, BOOL, ...). */
    static Optional<TensorDtype> fromHeaderName(String name) {
        for (TensorDtype dtype : values()) {
            if (dtype.name().equals(name)) {
                return Optional.of(dtype);
            }
        }
        return Optional.empty();
    }
}
