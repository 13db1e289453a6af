package io.fijigen.engine.pipeline;

/** A request value outside what the engine accepts; the message names the field, the value and the limit. */
public final class InvalidRequestException extends IllegalArgumentException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
