package io.fijigen.engine.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where and how {@link EngineServer} listens.
 *
 * @param host the address to bind; only a loopback address may go without a token
 * @param port the TCP port; 0 picks a free one (tests)
 * @param token the bearer token every call must carry (health and reflection excepted); null: none
 * @param tlsCert the server's certificate chain (PEM); null together with {@code tlsKey}: plaintext
 * @param tlsKey the server's private key (PEM, PKCS#8, unencrypted)
 * @param tlsClientCa when set, clients must present a certificate signed by one of these (PEM)
 * @param maxMessageBytes the largest message a call may send (images travel inline as PNG bytes)
 * @param shutdownGrace how long {@link EngineServer#shutdown()} lets running calls finish
 * @param connections what clients can hold open: connections, streams, health watches, idle time
 */
public record ServerSettings(
        String host,
        int port,
        String token,
        Path tlsCert,
        Path tlsKey,
        Path tlsClientCa,
        int maxMessageBytes,
        Duration shutdownGrace,
        ConnectionLimits connections) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7860;
    /** Room for a few 2048² PNGs (init image, mask, control images) in one request. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;
    /** Long enough for a typical running job to finish, short enough for a container's stop timeout. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(ServerSettings.class);

    public ServerSettings {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " is outside 0..65535");
        }
        if (token != null) {
            requireHeaderSafe(token);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a private key");
        }
        if (tlsClientCa != null && tlsCert == null) {
            throw new IllegalArgumentException("client certificates (tlsClientCa) need TLS: set tlsCert and tlsKey");
        }
        if (maxMessageBytes <= 0) {
            throw new IllegalArgumentException("maxMessageBytes: " + maxMessageBytes + " must be > 0");
        }
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must be ≥ 0");
        }
        if (connections == null) {
            throw new IllegalArgumentException("connections must be set (ConnectionLimits.defaults())");
        }
    }

    /** Loopback, port 7860, no token, plaintext, 64 MiB messages, 30 s grace, {@link ConnectionLimits#defaults()}. */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, null, null, null, null,
                DEFAULT_MAX_MESSAGE_BYTES, DEFAULT_SHUTDOWN_GRACE, ConnectionLimits.defaults());
    }

    public ServerSettings withHost(String newHost) {
        return new ServerSettings(newHost, port, token, tlsCert, tlsKey, tlsClientCa, maxMessageBytes, shutdownGrace, connections);
    }

    public ServerSettings withPort(int newPort) {
        return new ServerSettings(host, newPort, token, tlsCert, tlsKey, tlsClientCa, maxMessageBytes, shutdownGrace, connections);
    }

    public ServerSettings withToken(String newToken) {
        return new ServerSettings(host, port, newToken, tlsCert, tlsKey, tlsClientCa, maxMessageBytes, shutdownGrace, connections);
    }

    public ServerSettings withTls(Path cert, Path key) {
        return new ServerSettings(host, port, token, cert, key, tlsClientCa, maxMessageBytes, shutdownGrace, connections);
    }

    /** Requires client certificates signed by {@code ca}; set {@link #withTls TLS} first. */
    public ServerSettings withTlsClientCa(Path ca) {
        return new ServerSettings(host, port, token, tlsCert, tlsKey, ca, maxMessageBytes, shutdownGrace, connections);
    }

    public ServerSettings withMaxMessageBytes(int bytes) {
        return new ServerSettings(host, port, token, tlsCert, tlsKey, tlsClientCa, bytes, shutdownGrace, connections);
    }

    public ServerSettings withShutdownGrace(Duration grace) {
        return new ServerSettings(host, port, token, tlsCert, tlsKey, tlsClientCa, maxMessageBytes, grace, connections);
    }

    public ServerSettings withConnectionLimits(ConnectionLimits limits) {
        return new ServerSettings(host, port, token, tlsCert, tlsKey, tlsClientCa, maxMessageBytes, shutdownGrace, limits);
    }

    /**
     * The token in {@code file}, without surrounding whitespace (editors add a final newline).
     * A file that others can read is accepted, with a warning: refusing would break setups where a
     * secret store mounts files 0644, but the operator should know.
     *
     * @throws IllegalArgumentException when the file holds no token
     */
    public static String readToken(Path file) throws IOException {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token file " + file + " is empty");
        }
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("token file {} is readable by other users; restrict it with: chmod 600 {}", file, file);
            }
        }
        return token;
    }

    /** The token is a secret: never print it (settings end up in logs and exception messages). */
    @Override
    public String toString() {
        return "ServerSettings[host=" + host + ", port=" + port + ", token=" + (token == null ? "none" : "***")
                + ", tlsCert=" + tlsCert + ", tlsKey=" + tlsKey + ", tlsClientCa=" + tlsClientCa
                + ", maxMessageBytes=" + maxMessageBytes + ", shutdownGrace=" + shutdownGrace + ", connections=" + connections
                + "]";
    }

    /** It travels as an HTTP/2 header value: visible ASCII only. The message must not echo it. */
    private static void requireHeaderSafe(String token) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException(
                        "token: only visible ASCII characters are allowed (no spaces), found one at index " + i);
            }
        }
    }
}
