package io.fijigen.engine.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache, endpoint, token and offline mode come from the variables huggingface_hub reads, in its order. */
class HubSettingsTest {
    @TempDir
    Path home;

    private HubSettings read(Map<String, String> environment) throws IOException {
        return HubSettings.fromEnvironment(environment, home);
    }

    @Test
    void cacheFolderFollowsHuggingFaceHubPrecedence() throws IOException {
        assertThat(read(Map.of()).cache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(read(Map.of("XDG_CACHE_HOME", "/x")).cache()).isEqualTo(Path.of("/x/huggingface/hub"));
        assertThat(read(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/hf")).cache()).isEqualTo(Path.of("/hf/hub"));
        assertThat(read(Map.of("HF_HOME", "/hf", "HUGGINGFACE_HUB_CACHE", "/legacy")).cache())
                .isEqualTo(Path.of("/legacy"));
        assertThat(read(Map.of("HF_HOME", "/hf", "HUGGINGFACE_HUB_CACHE", "/legacy", "HF_HUB_CACHE", "/cache")).cache())
                .isEqualTo(Path.of("/cache"));
        assertThat(read(Map.of("HF_HUB_CACHE", "~/models")).cache()).isEqualTo(home.resolve("models"));
    }

    @Test
    void endpointDefaultsToTheHubAndHonoursHfEndpoint() throws IOException {
        assertThat(read(Map.of()).endpoint()).isEqualTo(URI.create(HubSettings.DEFAULT_ENDPOINT));
        assertThat(read(Map.of("HF_ENDPOINT", "http://127.0.0.1:8080/")).endpoint())
                .isEqualTo(URI.create("http://127.0.0.1:8080"));
        assertThatThrownBy(() -> read(Map.of("HF_ENDPOINT", "ftp://mirror")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HF_ENDPOINT 'ftp://mirror' is not an http(s) URL");
    }

    @Test
    void tokenComesFromHfTokenElseTheLoginFile() throws IOException {
        assertThat(read(Map.of()).token()).isEmpty();
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_from_login\n");
        assertThat(read(Map.of()).token()).hasValue("hf_from_login");
        assertThat(read(Map.of("HF_TOKEN", "hf_from_env")).token()).hasValue("hf_from_env");
        assertThat(read(Map.of("HF_TOKEN", "hf_from_env")).toString()).doesNotContain("hf_from_env").contains("token=set");
    }

    @Test
    void offlineIsOnForTheValuesHuggingFaceHubTakesAsTrue() throws IOException {
        assertThat(read(Map.of()).offline()).isFalse();
        assertThat(read(Map.of("HF_HUB_OFFLINE", "1")).offline()).isTrue();
        assertThat(read(Map.of("HF_HUB_OFFLINE", "yes")).offline()).isTrue();
        assertThat(read(Map.of("HF_HUB_OFFLINE", "0")).offline()).isFalse();
        assertThat(read(Map.of()).asOffline().offline()).isTrue();
    }
}
