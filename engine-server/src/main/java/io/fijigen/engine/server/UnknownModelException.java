package io.fijigen.engine.server;

import java.util.List;

/**
 * A model id the registry does not list; the message names the ids it does, so a typo is easy to see,
 * and the id asked for, cut to {@link #MAX_SHOWN_ID} characters (a request's id may be anything).
 */
public final class UnknownModelException extends ModelNotFoundException {
    /** The most characters of an unknown id a message repeats. */
    static final int MAX_SHOWN_ID = 128;

    private final String id;
    private final List<String> knownIds;

    public UnknownModelException(String id, List<String> knownIds) {
        super("unknown model '" + (id.length() <= MAX_SHOWN_ID ? id : id.substring(0, MAX_SHOWN_ID) + "… ("
                + id.length() + " characters)") + "'; known models: "
                + (knownIds.isEmpty() ? "(none)" : String.join(", ", knownIds)));
        this.id = id;
        this.knownIds = List.copyOf(knownIds);
    }

    public String id() {
        return id;
    }

    public List<String> knownIds() {
        return knownIds;
    }
}
