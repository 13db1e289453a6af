package io.fijigen.plugin.client;

import io.fijigen.proto.client.StaticTargets;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the plugin's engine servers are and how to reach them.
 *
 * @param host the server's host name or address, e.g. {@code 127.0.0.1}; or several servers,
 *     comma-separated, each {@code host} or {@code host:port}: jobs then go round-robin to those
 *     that are up
 * @param port the server's port, 1..65535 (for a list: where an entry names none)
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
        host = host.replace(" ", "");
        for (String server : host.split(",", -1)) {
            if (server.isEmpty()) {
                throw new IllegalArgumentException("host: '" + host + "' has an empty entry");
            }
        }
        token = token == null || token.isBlank() ? null : token.strip();
    }

    /** The servers as {@code host:port} entries. */
    public List<String> servers() {
        List<String> servers = new ArrayList<>();
        for (String server : host.split(",")) {
            servers.add(server.contains(":") ? server : server + ":" + port);
        }
        return servers;
    }

    /** The channel target: the server, or the servers as one round-robin target. */
    public String target() {
        return StaticTargets.target(servers());
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
        return (tls ? "https://" : "http://") + String.join(",", servers()) + (token != null ? " (token set)" : "");
    }
}
