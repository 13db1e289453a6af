package io.fijigen.engine.server;

import java.util.concurrent.CancellationException;

/** A waiting job replaced by a newer interactive job of its client: it never ran. */
final class JobDroppedException extends CancellationException {
    JobDroppedException() {
        super("the job was dropped before it started: a newer interactive job of the same client replaced it");
    }
}
