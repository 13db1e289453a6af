package io.fijigen.engine.server;

/** The work of one job; it polls {@link Cancellation#requested()} at its cancellation points and stops when asked. */
@FunctionalInterface
public interface JobBody<T> {
    T run(Cancellation cancellation) throws Exception;
}
