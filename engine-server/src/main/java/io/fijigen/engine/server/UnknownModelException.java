package io.fijigen.engine.server;

import java.util.List;

/** A model id the registry does not list; the message names the ids it does, so a typo is easy to see. */
public final class UnknownModelException extends ModelNotFoundException {
    private final String id;
    private final List<String> knownIds;

    public UnknownModelException(String id, List<String> knownIds) {
        super("unknown model '" + id + "'; known models: "
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
