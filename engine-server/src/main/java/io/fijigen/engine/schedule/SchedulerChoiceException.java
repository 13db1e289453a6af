package io.fijigen.engine.schedule;

/**
 * A {@link SchedulerChoice} value that its scheduler does not read or accept; {@link #field()} is the
 * choice's field as requests name it ({@code timestep_spacing}, {@code eta}), so that callers report it there.
 */
public final class SchedulerChoiceException extends IllegalArgumentException {
    private final String field;

    SchedulerChoiceException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
