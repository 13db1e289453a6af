package io.fijigen.engine.schedule;

import java.util.List;

/**
 * Which training timesteps a run of N steps visits ({@code timestep_spacing}), in loop order
 * (descending). The reference classes share three spacings but differ in detail, one method per
 * family here: integer timesteps (DDIM, DDPM, PNDM), float32 timesteps (Euler, Euler ancestral,
 * LMS, Heun: linspace is not rounded), and the multistep solvers (DPM-Solver++, UniPC), which space
 * N + 1 points and drop the last so that the final step lands on sigma 0.
 *
 * <p>numpy's arithmetic is repeated exactly: linspace as i·step + start with the end point set,
 * arange with a float step as start + i·(second − first), and round-half-to-even.
 */
public final class TimestepSpacing {
    /** The spacings, as {@code timestep_spacing} names them. */
    public static final List<String> NAMES = List.of("leading", "linspace", "trailing");

    private TimestepSpacing() {}

    /** What is wrong with a name that is no spacing's, for every place that validates one. */
    public static String unknownName(String name) {
        return "'" + name + "' is not a spacing (use " + String.join(", ", NAMES) + ")";
    }

    /** DDIM, DDPM and PNDM: integers. */
    public static double[] discrete(String spacing, int numTrain, int steps, int stepsOffset) {
        return switch (spacing) {
            case "linspace" -> roundAll(reversed(linspace(0, numTrain - 1, steps)));
            case "leading" -> leading(steps, numTrain / steps, stepsOffset);
            case "trailing" -> trailing(numTrain, steps);
            default -> throw unknown(spacing);
        };
    }

    /** Euler, Euler ancestral, LMS and Heun: float32 values, linspace unrounded. */
    public static double[] float32(String spacing, int numTrain, int steps, int stepsOffset) {
        double[] timesteps = spacing.equals("linspace")
                ? reversed(linspace(0, numTrain - 1, steps))
                : discrete(spacing, numTrain, steps, stepsOffset);
        for (int i = 0; i < timesteps.length; i++) {
            timesteps[i] = (float) timesteps[i];
        }
        return timesteps;
    }

    /** DPM-Solver++ and UniPC: N + 1 points spaced, the last (t = 0) dropped. */
    public static double[] multistep(String spacing, int numTrain, int steps, int stepsOffset) {
        return switch (spacing) {
            case "linspace" -> java.util.Arrays.copyOf(roundAll(reversed(linspace(0, numTrain - 1, steps + 1))), steps);
            case "leading" -> java.util.Arrays.copyOf(leading(steps + 1, numTrain / (steps + 1), stepsOffset), steps);
            case "trailing" -> trailing(numTrain, steps);
            default -> throw unknown(spacing);
        };
    }

    /** np.arange(0, count) · ratio, descending, plus steps_offset. */
    private static double[] leading(int count, int ratio, int stepsOffset) {
        double[] timesteps = new double[count];
        for (int i = 0; i < count; i++) {
            timesteps[i] = (double) (count - 1 - i) * ratio + stepsOffset;
        }
        return timesteps;
    }

    /** np.round(np.arange(numTrain, 0, -numTrain / steps)) − 1. */
    private static double[] trailing(int numTrain, int steps) {
        double[] values = arange(numTrain, 0, -((double) numTrain / steps));
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.rint(values[i]) - 1;
        }
        return values;
    }

    /** np.linspace(start, stop, num) in float64. */
    static double[] linspace(double start, double stop, int num) {
        double[] y = new double[num];
        if (num == 1) {
            y[0] = start;
            return y;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            y[i] = i * step + start;
        }
        y[num - 1] = stop;
        return y;
    }

    /** np.arange(start, stop, step) for a float step. */
    static double[] arange(double start, double stop, double step) {
        int length = (int) Math.max(0, Math.ceil((stop - start) / step));
        double[] values = new double[length];
        if (length == 0) {
            return values;
        }
        values[0] = start;
        if (length > 1) {
            values[1] = start + step;
            double delta = values[1] - values[0];
            for (int i = 2; i < length; i++) {
                values[i] = start + i * delta;
            }
        }
        return values;
    }

    private static double[] reversed(double[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[values.length - 1 - i];
        }
        return out;
    }

    private static double[] roundAll(double[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.rint(values[i]);
        }
        return values;
    }

    private static IllegalArgumentException unknown(String spacing) {
        return new IllegalArgumentException("timestep_spacing " + spacing
                + " is not supported (supported: " + String.join(", ", NAMES) + ")");
    }
}
