package io.fijigen.engine.hub;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the hub is and where its files go, read from the same environment variables as Python's
 * huggingface_hub, so both share one cache and one login.
 *
 * @param endpoint the hub, without a trailing slash
 * @param cache the hub cache folder that holds {@code models--org--name/}
 * @param token sent as a bearer token; never printed
 * @param offline only the cache is read, nothing is requested
 */
public record HubSettings(URI endpoint, Path cache, Optional<String> token, boolean offline) {
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";
    /** huggingface_hub's ENV_VARS_TRUE_VALUES. */
    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        String text = endpoint.toString();
        endpoint = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    /**
     * The settings huggingface_hub's {@code constants.py} derives: {@code HF_HUB_CACHE}, else the legacy
     * {@code HUGGINGFACE_HUB_CACHE}, else {@code $HF_HOME/hub}, where {@code HF_HOME} defaults to
     * {@code $XDG_CACHE_HOME/huggingface} and that to {@code ~/.cache/huggingface}. The token is
     * {@code HF_TOKEN}, else the file {@code huggingface-cli login} writes ({@code HF_TOKEN_PATH}, default
     * {@code $HF_HOME/token}).
     *
     * @param environment the process environment (a map, so tests need not change the real one)
     * @param home the user's home folder, for {@code ~}
     */
    public static HubSettings fromEnvironment(Map<String, String> environment, Path home) throws IOException {
        Path hfHome = pathVariable(environment, "HF_HOME", home).orElseGet(() -> pathVariable(environment,
                "XDG_CACHE_HOME", home).orElse(home.resolve(".cache")).resolve("huggingface"));
        Path cache = pathVariable(environment, "HF_HUB_CACHE", home)
                .or(() -> pathVariable(environment, "HUGGINGFACE_HUB_CACHE", home))
                .orElse(hfHome.resolve("hub"));
        String endpointText = nonBlank(environment, "HF_ENDPOINT").orElse(DEFAULT_ENDPOINT);
        URI endpoint;
        try {
            endpoint = URI.create(endpointText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpointText + "' is not a URL (" + e.getMessage()
                    + "); unset it to use " + DEFAULT_ENDPOINT);
        }
        if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
            throw new IllegalArgumentException("HF_ENDPOINT '" + endpointText + "' is not an http(s) URL; unset it to use "
                    + DEFAULT_ENDPOINT);
        }
        Optional<String> token = nonBlank(environment, "HF_TOKEN");
        if (token.isEmpty()) {
            Path tokenFile = pathVariable(environment, "HF_TOKEN_PATH", home).orElse(hfHome.resolve("token"));
            if (Files.isRegularFile(tokenFile)) {
                token = Optional.of(Files.readString(tokenFile, StandardCharsets.UTF_8).strip()).filter(t -> !t.isEmpty());
            }
        }
        boolean offline = nonBlank(environment, "HF_HUB_OFFLINE")
                .map(value -> TRUE_VALUES.contains(value.toUpperCase(Locale.ROOT)))
                .orElse(false);
        return new HubSettings(endpoint, cache, token, offline);
    }

    /** The same settings with offline mode on, as {@code --offline} asks. */
    public HubSettings asOffline() {
        return new HubSettings(endpoint, cache, token, true);
    }

    /** The cache these settings write to. */
    public HubCache hubCache() {
        return new HubCache(cache);
    }

    /** A path from the environment; a leading {@code ~} is the home folder, as Python's expanduser makes it. */
    private static Optional<Path> pathVariable(Map<String, String> environment, String name, Path home) {
        return nonBlank(environment, name).map(value -> value.equals("~") ? home
                : value.startsWith("~/") ? home.resolve(value.substring(2)) : Path.of(value));
    }

    private static Optional<String> nonBlank(Map<String, String> environment, String name) {
        return Optional.ofNullable(environment.get(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    @Override
    public String toString() {
        // A record's default toString would print the token.
        return "HubSettings[endpoint=" + endpoint + ", cache=" + cache + ", token=" + (token.isPresent() ? "set" : "none")
                + ", offline=" + offline + "]";
    }
}
