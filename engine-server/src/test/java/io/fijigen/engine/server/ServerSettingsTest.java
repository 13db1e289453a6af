package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Defaults, validation, the token file, and that the token never shows in text. */
class ServerSettingsTest {
    @TempDir
    Path dir;

    @Test
    void defaultsListenOnLoopbackWithoutTokenOrTls() {
        ServerSettings settings = ServerSettings.defaults();

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(7860);
        assertThat(settings.token()).isNull();
        assertThat(settings.tlsCert()).isNull();
        assertThat(settings.maxMessageBytes()).isEqualTo(64 << 20);
        assertThat(settings.shutdownGrace()).hasSeconds(30);
        assertThat(settings.connections()).isEqualTo(new ConnectionLimits(256, 100, 4,
                Duration.ofSeconds(60), Duration.ofSeconds(10)));
    }

    @Test
    void connectionLimitsMustBePositive() {
        ConnectionLimits limits = ConnectionLimits.defaults();
        assertThatThrownBy(() -> new ConnectionLimits(0, 100, 4, limits.idleTimeout(), limits.handshakeTimeout()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxConnections: 0 must be ≥ 1");
        assertThatThrownBy(() -> new ConnectionLimits(256, 100, 4, Duration.ZERO, limits.handshakeTimeout()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idleTimeout");
        assertThat(ServerSettings.defaults().withConnectionLimits(new ConnectionLimits(3, 2, 1,
                Duration.ofSeconds(5), Duration.ofSeconds(1))).connections().maxConnections()).isEqualTo(3);
    }

    @Test
    void readTokenTrimsTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  abc123\n");

        assertThat(ServerSettings.readToken(file)).isEqualTo("abc123");
    }

    @Test
    void readTokenRefusesAnEmptyFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), " \n");

        assertThatThrownBy(() -> ServerSettings.readToken(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty");
    }

    @Test
    void readTokenWarnsWhenOthersCanReadTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "abc123");
        Logger logger = (Logger) LoggerFactory.getLogger(ServerSettings.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            ServerSettings.readToken(file);
            assertThat(log.list).isEmpty();

            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            ServerSettings.readToken(file);
            assertThat(log.list).singleElement()
                    .satisfies(event -> assertThat(event.getFormattedMessage()).contains("chmod 600"));
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void aTokenThatCannotTravelInAHeaderIsRefusedWithoutBeingEchoed() {
        assertThatThrownBy(() -> ServerSettings.defaults().withToken("two words"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visible ASCII")
                .hasMessageNotContaining("two words");
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(ServerSettings.defaults().withToken("abc123").toString())
                .doesNotContain("abc123")
                .contains("token=***");
    }

    @Test
    void tlsNeedsACertificateAndAKeyAndClientCertificatesNeedTls() {
        Path pem = dir.resolve("x.pem");
        assertThatThrownBy(() -> ServerSettings.defaults().withTls(pem, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerSettings.defaults().withTlsClientCa(pem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("need TLS");
    }
}
