package io.fijigen.engine.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The hub's HTTP API, as huggingface_hub calls it: the file list of a revision
 * ({@code /api/models/<repo>/revision/<revision>}), a file's metadata from a HEAD request on
 * {@code /<repo>/resolve/<commit>/<path>}, and its bytes from a GET on the same URL.
 */
final class HubClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** HEAD and API answers are small; a body download may run for hours and has no overall limit. */
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern UNSAFE_FILE = Pattern.compile("(^|/)\\.\\.?(/|$)|^/|\\\\|//|\\x00");

    private final HubSettings settings;
    // Redirects are followed by hand: HEAD only relative ones (a renamed repo), as huggingface_hub does,
    // because an LFS file's 302 carries the metadata; a GET's redirect to another host loses the token.
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    HubClient(HubSettings settings) {
        this.settings = settings;
    }

    /** What a revision holds. */
    record RepoInfo(String commit, List<String> files) {}

    /**
     * What a HEAD request tells about a file.
     *
     * @param etag the hash the content must have, see {@link BlobChecksum}
     */
    record FileMetadata(String etag, long size) {}

    RepoInfo repoInfo(String repo, String revision) throws IOException {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + repo + "/revision/" + encode(revision));
        HttpResponse<String> response = send(request(uri).GET().timeout(METADATA_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString(), repo, revision, null);
        JsonElement root;
        try {
            root = JsonParser.parseString(response.body());
        } catch (JsonParseException e) {
            throw notAFileList(uri, "not JSON: " + e.getMessage());
        }
        JsonElement sha = root.isJsonObject() ? root.getAsJsonObject().get("sha") : null;
        JsonElement siblings = root.isJsonObject() ? root.getAsJsonObject().get("siblings") : null;
        if (!isString(sha) || siblings == null || !siblings.isJsonArray()) {
            throw notAFileList(uri, "no \"sha\" string and \"siblings\" array");
        }
        String commit = sha.getAsString();
        if (!HubCache.REVISION.matcher(commit).matches()) {
            throw notAFileList(uri, "commit '" + commit + "' is not a commit id");
        }
        List<String> files = new ArrayList<>();
        for (JsonElement sibling : siblings.getAsJsonArray()) {
            JsonElement name = sibling.isJsonObject() ? sibling.getAsJsonObject().get("rfilename") : null;
            if (!isString(name)) {
                throw notAFileList(uri, "a sibling without \"rfilename\"");
            }
            String file = name.getAsString();
            // The names become paths in the cache: none may leave the snapshot folder.
            if (file.isEmpty() || UNSAFE_FILE.matcher(file).find()) {
                throw new HubException(uri + " lists the file '" + file + "', which is not a relative path"
                        + " inside the repo; refusing to download from it");
            }
            files.add(file);
        }
        return new RepoInfo(commit, files);
    }

    private HubException notAFileList(URI uri, String problem) {
        return new HubException(uri + " did not answer a repo's file list (" + problem + "): is HF_ENDPOINT "
                + settings.endpoint() + " a hub?");
    }

    private static boolean isString(JsonElement element) {
        return element != null && element.isJsonPrimitive() && element.getAsJsonPrimitive().isString();
    }

    FileMetadata metadata(String repo, String commit, String file) throws IOException {
        URI uri = fileUri(repo, commit, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<Void> response = send(request(uri).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(METADATA_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding(), repo, commit, file);
            Optional<String> location = response.headers().firstValue("Location");
            if (isRedirect(response.statusCode()) && location.isPresent() && !URI.create(location.get()).isAbsolute()) {
                uri = uri.resolve(location.get());
                continue;
            }
            String etag = normalizeEtag(response.headers().firstValue("X-Linked-Etag")
                    .or(() -> response.headers().firstValue("ETag")).orElse(""));
            long size = response.headers().firstValueAsLong("X-Linked-Size")
                    .orElse(response.headers().firstValueAsLong("Content-Length").orElse(-1));
            if (!BlobChecksum.isKnown(etag) || size < 0) {
                throw new HubException(uri + " gave no usable ETag ('" + etag + "') or size (" + size
                        + "), so the download could not be verified; is HF_ENDPOINT " + settings.endpoint() + " a hub?");
            }
            return new FileMetadata(etag, size);
        }
        throw new HubException(uri + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /**
     * Appends the bytes of {@code file} that {@code partial} lacks, asking for the rest with a Range
     * header when it already holds some. A server that ignores the range sends everything: the
     * partial file then starts over.
     */
    void download(String repo, String commit, String file, Path partial, DownloadSink sink) throws IOException {
        long have = Files.exists(partial) ? Files.size(partial) : 0;
        URI uri = fileUri(repo, commit, file);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = sameHost(uri) ? request(uri) : HttpRequest.newBuilder(uri)
                    .header("Accept-Encoding", "identity");
            if (have > 0) {
                request.header("Range", "bytes=" + have + "-");
            }
            HttpResponse<InputStream> response = send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream(),
                    repo, commit, file);
            try (InputStream body = response.body()) {
                Optional<String> location = response.headers().firstValue("Location");
                if (isRedirect(response.statusCode()) && location.isPresent()) {
                    uri = uri.resolve(location.get());
                    continue;
                }
                boolean resumed = response.statusCode() == 206;
                String range = response.headers().firstValue("Content-Range").orElse("");
                if (resumed && !range.startsWith("bytes " + have + "-")) {
                    throw new HubException(uri + " answered range '" + range + "' to a request for bytes " + have
                            + "-; delete " + partial + " and download again");
                }
                sink.start(resumed ? have : 0);
                try (OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        resumed ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = body.read(buffer); n > 0; n = body.read(buffer)) {
                        out.write(buffer, 0, n);
                        sink.accept(buffer, n);
                    }
                }
                return;
            }
        }
        throw new HubException(uri + ": more than " + MAX_REDIRECTS + " redirects");
    }

    /** Receives a download: where it starts in the file, then its bytes block by block (to hash them, report progress). */
    interface DownloadSink {
        /** @param offset the bytes already in the partial file that this response continues, 0 when it starts over */
        void start(long offset) throws IOException;

        void accept(byte[] block, int length);
    }

    private URI fileUri(String repo, String commit, String file) {
        StringBuilder path = new StringBuilder();
        for (String segment : file.split("/")) {
            path.append('/').append(encode(segment));
        }
        return URI.create(settings.endpoint() + "/" + repo + "/resolve/" + encode(commit) + path);
    }

    /** The token goes only to the hub itself, not to the storage a download is redirected to. */
    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .header("User-Agent", "fijigen")
                // Sizes and ranges count the file's bytes, not those of a compressed transfer.
                .header("Accept-Encoding", "identity");
        settings.token().ifPresent(token -> builder.header("Authorization", "Bearer " + token));
        return builder;
    }

    private boolean sameHost(URI uri) {
        return Objects.equals(uri.getHost(), settings.endpoint().getHost())
                && uri.getPort() == settings.endpoint().getPort();
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String repo,
            String revision, String file) throws IOException {
        HttpResponse<T> response;
        try {
            response = http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new HubException("could not reach the hub at " + settings.endpoint() + " (" + e + "): check the"
                    + " network, or use the hub cache only with --offline (HF_HUB_OFFLINE=1)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("download interrupted");
        }
        int status = response.statusCode();
        if (status < 400) {
            return response;
        }
        if (response.body() instanceof InputStream body) {
            body.close();
        }
        String errorCode = response.headers().firstValue("X-Error-Code").orElse("");
        String what = file == null ? repo + " at revision " + revision : file + " of " + repo;
        if (errorCode.equals("GatedRepo") || ((status == 401 || status == 403) && settings.token().isPresent())) {
            throw new HubException(repo + " is gated or private (HTTP " + status + ")" + (settings.token().isPresent()
                    ? " and the hub refused the token in HF_TOKEN: accept the model's licence at "
                    : " and no token was sent: accept the model's licence at ")
                    + settings.endpoint() + "/" + repo + " while logged in, then set HF_TOKEN to an access token of"
                    + " that account");
        }
        if (status == 401 || status == 403) {
            throw new HubException(repo + " needs a login (HTTP " + status + "): it is gated or private, or does not"
                    + " exist; check the repo id, and for a gated model accept its licence at " + settings.endpoint()
                    + "/" + repo + " and set HF_TOKEN to an access token");
        }
        if (status == 404 && errorCode.equals("RevisionNotFound")) {
            throw new HubException("revision '" + revision + "' not found in " + repo
                    + ": give a branch, tag or commit of that repo (--revision)");
        }
        if (status == 404 && errorCode.equals("EntryNotFound")) {
            throw new HubException(what + " not found on the hub (HTTP 404)");
        }
        if (status == 404) {
            throw new HubException(repo + " not found on " + settings.endpoint() + " (HTTP 404): check the repo id"
                    + " (owner/name) and the revision '" + revision + "'");
        }
        throw new HubException("the hub answered HTTP " + status + " for " + what + ": try again later");
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** huggingface_hub's _normalize_etag: no weak prefix, no quotes. */
    private static String normalizeEtag(String etag) {
        String value = etag.strip();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        return value.replace("\"", "");
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
