package io.fijigen.engine.server;

import java.time.Duration;

/**
 * What one client, with or without a token, can hold open on an {@link EngineServer}: each open
 * connection costs a file descriptor and each stream a few KiB, so without bounds idle
 * connections exhaust the descriptors and watch streams the heap before any call is authenticated.
 *
 * @param maxConnections TCP connections open at once; more are closed as soon as they are accepted
 * @param maxCallsPerConnection concurrent calls (HTTP/2 streams) on one connection; the client
 *     waits for a free one
 * @param maxHealthWatchesPerConnection {@code Health.Watch} calls open at once on one connection;
 *     more are refused with {@code RESOURCE_EXHAUSTED}. Per connection, not in all, so that one
 *     client holding many cannot starve the others: each of ours holds one per connection
 * @param idleTimeout a connection without a call for this long is closed (after a GOAWAY)
 * @param handshakeTimeout a connection that has not finished its TLS handshake and HTTP/2
 *     preface within this time is closed
 */
public record ConnectionLimits(
        int maxConnections,
        int maxCallsPerConnection,
        int maxHealthWatchesPerConnection,
        Duration idleTimeout,
        Duration handshakeTimeout) {

    /** Far more than a lab's Fiji users and probes, far below a default descriptor limit (1,024 soft, raised by the JVM). */
    public static final int DEFAULT_MAX_CONNECTIONS = 256;
    /** A client runs a few jobs and watches health on one connection; 100 is gRPC's usual advice. */
    public static final int DEFAULT_MAX_CALLS_PER_CONNECTION = 100;
    /** Our clients hold one (client-side health checking); a few more for tools. */
    public static final int DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION = 4;
    /** Our clients keep a health watch open, so they are never idle; a leaked or abandoned connection goes. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** A TLS handshake and the HTTP/2 preface take milliseconds; gRPC's own default is 120 s. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public ConnectionLimits {
        requirePositive("maxConnections", maxConnections);
        requirePositive("maxCallsPerConnection", maxCallsPerConnection);
        requirePositive("maxHealthWatchesPerConnection", maxHealthWatchesPerConnection);
        requirePositive("idleTimeout", idleTimeout);
        requirePositive("handshakeTimeout", handshakeTimeout);
    }

    /** 256 connections, 100 calls and 4 health watches each, 60 s idle, 10 s handshake. */
    public static ConnectionLimits defaults() {
        return new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CALLS_PER_CONNECTION,
                DEFAULT_MAX_HEALTH_WATCHES_PER_CONNECTION, DEFAULT_IDLE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " must be ≥ 1");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + ": " + value + " must be > 0");
        }
    }
}
