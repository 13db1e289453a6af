package io.fijigen.engine.schedule;

/** What the model predicts ({@code prediction_type}). */
public enum PredictionType {
    /** The noise ε. */
    EPSILON,
    /** The velocity v = √ᾱ·ε − √(1−ᾱ)·x₀ (Salimans and Ho), as SD 2.x 768 models. */
    V_PREDICTION,
    /** The clean sample x₀. */
    SAMPLE;

    public static PredictionType of(String name) {
        return switch (name) {
            case "epsilon" -> EPSILON;
            case "v_prediction" -> V_PREDICTION;
            case "sample" -> SAMPLE;
            default -> throw new IllegalArgumentException("prediction_type " + name
                    + " is not supported (supported: epsilon, v_prediction, sample)");
        };
    }
}
