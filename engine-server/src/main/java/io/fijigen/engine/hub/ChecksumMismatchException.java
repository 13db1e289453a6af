package io.fijigen.engine.hub;

/** A downloaded file whose hash is not the one the hub announced; it has been deleted, not kept. */
public final class ChecksumMismatchException extends HubException {
    public ChecksumMismatchException(String message) {
        super(message);
    }
}
