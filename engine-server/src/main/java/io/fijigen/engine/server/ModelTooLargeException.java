package io.fijigen.engine.server;

import java.util.Locale;

/**
 * A model that would not fit in the registry's memory budget even with every other model unloaded:
 * the server answers {@code RESOURCE_EXHAUSTED}; raising the budget or using fp16 on a GPU helps.
 */
public final class ModelTooLargeException extends RuntimeException {
    private final long modelBytes;
    private final long budgetBytes;

    public ModelTooLargeException(String id, long modelBytes, long budgetBytes) {
        super(String.format(Locale.ROOT, "model '%s' needs about %d bytes (%.1f MiB) but the whole memory budget is"
                + " %d bytes (%.1f MiB)", id, modelBytes, mib(modelBytes), budgetBytes, mib(budgetBytes)));
        this.modelBytes = modelBytes;
        this.budgetBytes = budgetBytes;
    }

    public long modelBytes() {
        return modelBytes;
    }

    public long budgetBytes() {
        return budgetBytes;
    }

    private static double mib(long bytes) {
        return bytes / (double) (1L << 20);
    }
}
