package io.fijigen.plugin.client;

/**
 * Where the plugin's engine server is and how to reach it.
 *
 * @param host the server's host name or address, e.g. {@code 127.0.0.1}
 * @param port its port, 1..65535
 * @param token the bearer token the server asks for; null or blank: none
 * @param tls whether to use TLS (the system's trust store); plaintext otherwise
 * @param timeoutSeconds the longest a job (queueing included) or a Canny call may take; 0: no limit
 */
public record Connection(String host, int port, String token, boolean tls, int timeoutSeconds) {

    /** The engine's default port. */
    public static final int DEFAULT_PORT = 7860;

    public Connection {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is outside 1..65535");
        }
        if (timeoutSeconds < 0) {
            throw new IllegalArgumentException("timeout: " + timeoutSeconds + " must be ≥ 0 seconds (0: no limit)");
        }
        host = host.strip();
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** A plaintext connection without a token or time limit, e.g. to an engine on this machine. */
    public static Connection plaintext(String host, int port) {
        return new Connection(host, port, null, false, 0);
    }

    public Connection withToken(String newToken) {
        return new Connection(host, port, newToken, tls, timeoutSeconds);
    }

    public Connection withTimeout(int newTimeoutSeconds) {
        return new Connection(host, port, token, tls, newTimeoutSeconds);
    }

    /** The token stays out of logs and dialogs. */
    @Override
    public String toString() {
        return (tls ? "https://" : "http://") + host + ":" + port + (token != null ? " (token set)" : "");
    }
}
