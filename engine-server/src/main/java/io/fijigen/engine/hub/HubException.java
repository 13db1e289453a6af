package io.fijigen.engine.hub;

import java.io.IOException;

/** The hub or the cache cannot give what was asked (no access, not found, pickle only, offline): the message says what to do. */
public class HubException extends IOException {
    public HubException(String message) {
        super(message);
    }

    public HubException(String message, Throwable cause) {
        super(message, cause);
    }
}
