package io.fijigen.engine.random;

/**
 * torch's CPU generator, reproduced in Java so that every job owns one: {@code
 * torch.Generator("cpu").manual_seed(seed)} followed by {@code torch.randn} draws, value for value
 * (to the last bit or one float ulp, see {@link #fillNormal}). DJL's seeded generator would give
 * the same numbers, but it is global to the process, so concurrent jobs would interleave draws.
 *
 * <p>The engine is mt19937 seeded as torch seeds it; float uniforms take the low 24 bits of one
 * 32-bit draw, double uniforms the low 53 bits of two.
 */
public final class TorchGenerator {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final long seed;
    private final int[] state = new int[N];
    private int next = N;
    /** torch caches the second value of the scalar Box-Muller pair for the next scalar draw. */
    private double cachedNormal;
    private boolean hasCachedNormal;

    public TorchGenerator(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            state[j] = 1812433253 * (state[j - 1] ^ (state[j - 1] >>> 30)) + j;
        }
    }

    public long seed() {
        return seed;
    }

    /** The next 32-bit output of mt19937, as an unsigned value in a long. */
    long nextUInt32() {
        if (next >= N) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /**
     * Fills {@code out} as torch.randn fills a contiguous float32 tensor of that many elements.
     *
     * <p>For 16 or more elements torch draws all uniforms first, then turns each block of 16 into
     * normals with Box-Muller (u1 from the first 8, u2 from the last 8), and redoes the last 16
     * with fresh uniforms when the count is not a multiple of 16. Its vectorised log/sin/cos may
     * differ from Java's by one float ulp. Fewer than 16 elements take the scalar double path.
     */
    public void fillNormal(float[] out) {
        int size = out.length;
        if (size < 16) {
            for (int i = 0; i < size; i++) {
                out[i] = (float) nextDoubleNormal();
            }
            return;
        }
        for (int i = 0; i < size; i++) {
            out[i] = nextFloatUniform();
        }
        for (int i = 0; i + 16 <= size; i += 16) {
            boxMuller16(out, i);
        }
        if (size % 16 != 0) {
            int start = size - 16;
            for (int i = 0; i < 16; i++) {
                out[start + i] = nextFloatUniform();
            }
            boxMuller16(out, start);
        }
    }

    public float[] normal(int size) {
        float[] values = new float[size];
        fillNormal(values);
        return values;
    }

    private float nextFloatUniform() {
        return (nextUInt32() & 0xffffff) * (1.0f / (1 << 24));
    }

    private double nextDoubleUniform() {
        long hi = nextUInt32();
        long lo = nextUInt32();
        long bits = (hi << 32) | lo;
        return (bits & ((1L << 53) - 1)) * (1.0 / (1L << 53));
    }

    private double nextDoubleNormal() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return cachedNormal;
        }
        double u1 = nextDoubleUniform();
        double u2 = nextDoubleUniform();
        double radius = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        cachedNormal = radius * Math.sin(theta);
        hasCachedNormal = true;
        return radius * Math.cos(theta);
    }

    private static void boxMuller16(float[] data, int offset) {
        final float twoPi = (float) (2.0 * Math.PI);
        for (int j = 0; j < 8; j++) {
            float u1 = 1 - data[offset + j];
            float u2 = data[offset + j + 8];
            float radius = (float) Math.sqrt((float) (-2 * (float) Math.log(u1)));
            float theta = twoPi * u2;
            data[offset + j] = radius * (float) Math.cos(theta);
            data[offset + j + 8] = radius * (float) Math.sin(theta);
        }
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & UPPER_MASK) | (state[(i + 1) % N] & LOWER_MASK);
            state[i] = state[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        next = 0;
    }
}
