package io.fijigen.engine.pipeline;

/**
 * The values a numeric request field accepts: from {@code min} to {@code max}, the lower end
 * excluded where {@code lowOpen} (strength's (0, 1]), whole numbers only where {@code integer}, and
 * for integers a multiple of {@code multiple} (image sides: 8).
 */
public record FieldRange(double min, double max, boolean lowOpen, boolean integer, int multiple) {

    /** Whole numbers from {@code min} to {@code max}. */
    public static FieldRange ints(int min, int max) {
        return new FieldRange(min, max, false, true, 1);
    }

    /** Whole multiples of {@code multiple} from {@code min} to {@code max}. */
    public static FieldRange multiples(int multiple, int min, int max) {
        return new FieldRange(min, max, false, true, multiple);
    }

    /** Numbers from {@code min} to {@code max}, both included. */
    public static FieldRange closed(double min, double max) {
        return new FieldRange(min, max, false, false, 1);
    }

    /** Numbers above {@code min} up to {@code max} included. */
    public static FieldRange aboveUpTo(double min, double max) {
        return new FieldRange(min, max, true, false, 1);
    }

    /** The range as the proto comments and the error messages write it: {@code 1..1000}, {@code (0, 1]}. */
    public String text() {
        return lowOpen ? "(" + number(min) + ", " + number(max) + "]" : number(min) + ".." + number(max);
    }

    public boolean contains(double value) {
        boolean aboveMin = lowOpen ? value > min : value >= min;
        return aboveMin && value <= max && (!integer || value % multiple == 0);
    }

    /** {@code value}, or an error naming {@code field}, the value and the range (and for a side, its neighbours). */
    public int check(String field, int value) {
        if (value < min || value > max) {
            throw new InvalidRequestException(field, field + ": " + value + " is outside " + text());
        }
        if (value % multiple != 0) {
            int below = value - value % multiple;
            throw new InvalidRequestException(field, field + ": " + value + " is not a multiple of " + multiple
                    + " (try " + below + " or " + (below + multiple) + ")");
        }
        return value;
    }

    /** {@code value}, or an error naming {@code field}; NaN and infinities are outside every range. */
    public double check(String field, double value) {
        if (!contains(value)) {
            throw new InvalidRequestException(field, field + ": " + number(value) + " is outside " + text());
        }
        return value;
    }

    /** Whole numbers without a decimal point, others as Java prints them: 1000, 7.5, 0.8 (as web UIs write them too). */
    public static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? String.valueOf((long) value)
                : String.valueOf(value);
    }
}
