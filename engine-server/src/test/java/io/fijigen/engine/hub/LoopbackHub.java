package io.fijigen.engine.hub;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A hub on the loopback interface, speaking the URL layout and headers huggingface_hub relies on:
 * {@code /api/models/<repo>/revision/<rev>} lists a revision's files, {@code HEAD /<repo>/resolve/<rev>/<path>}
 * answers an LFS file (every {@code .safetensors}) with a 302 carrying {@code X-Linked-Etag} (its sha256)
 * and {@code X-Linked-Size}, a small file with 200 and its git blob sha1 as ETag; a GET of an LFS file is
 * redirected to {@code /lfs/<sha256>}, which honours {@code Range}. Knobs make it gated, drop a
 * connection, or corrupt a file; every request is recorded.
 */
public final class LoopbackHub implements AutoCloseable {
    /** One request as the hub saw it. */
    public record Request(String method, String path, String range, String authorization) {}

    private record Repo(Map<String, String> revisions, Map<String, Map<String, byte[]>> filesByCommit) {}

    private final HttpServer server;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> lfs = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Long> dropAfter = new ConcurrentHashMap<>();
    private final Set<String> corrupted = ConcurrentHashMap.newKeySet();
    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private volatile String requiredToken;
    private volatile URI storage;

    public LoopbackHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
                + server.getAddress().getPort());
    }

    /** Serves {@code folder}'s files (plus {@code extra} files by name and content) as {@code repo} at {@code commit}. */
    public LoopbackHub serve(String repo, String revision, String commit, Path folder, Map<String, byte[]> extra)
            throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (folder != null) {
            try (Stream<Path> walk = Files.walk(folder)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    files.put(folder.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                }
            }
        }
        files.putAll(extra);
        Repo entry = repos.computeIfAbsent(repo, r -> new Repo(new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        entry.revisions().put(revision, commit);
        entry.filesByCommit().put(commit, files);
        files.forEach((name, bytes) -> {
            if (isLfs(name)) {
                lfs.put(sha256(bytes), bytes);
            }
        });
        return this;
    }

    /** Answers 401 (gated) to any request without {@code Authorization: Bearer <token>}. */
    public LoopbackHub gated(String token) {
        requiredToken = token;
        return this;
    }

    /** The first GET of this content stops after {@code bytes} bytes of the file and drops the connection. */
    public LoopbackHub dropOnce(byte[] content, long bytes) {
        dropAfter.put(sha256(content), bytes);
        return this;
    }

    /** Where the first GET of a content stops, and what lets it go on. */
    private record Hold(long bytes, CountDownLatch release) {}

    /**
     * The first GET of this content sends {@code bytes} bytes of the file, then waits for {@code release} before it
     * sends the rest: a download caught in the middle, as long as a test needs.
     */
    public LoopbackHub holdOnce(byte[] content, long bytes, CountDownLatch release) {
        holds.put(sha256(content), new Hold(bytes, release));
        return this;
    }

    /** Every GET of this content serves it with one byte flipped, under the right headers. */
    public LoopbackHub corrupt(byte[] content) {
        corrupted.add(sha256(content));
        return this;
    }

    /** LFS downloads are redirected to {@code storage}'s {@code /lfs/} (another server, as the hub's CDN is). */
    public LoopbackHub storeLfsAt(LoopbackHub storage) {
        this.storage = storage.endpoint();
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** git's blob id: sha1 of "blob <size>\0" and the content. */
    public static String gitBlobSha1(byte[] bytes) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isLfs(String name) {
        return name.endsWith(".safetensors") || name.endsWith(".bin");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(new Request(exchange.getRequestMethod(), URLDecoder.decode(path, StandardCharsets.UTF_8),
                    exchange.getRequestHeaders().getFirst("Range"), authorization));
            if (path.startsWith("/lfs/")) {
                serveContent(exchange, path.substring("/lfs/".length()));
                return;
            }
            if (requiredToken != null && !("Bearer " + requiredToken).equals(authorization)) {
                exchange.getResponseHeaders().add("X-Error-Code", "GatedRepo");
                send(exchange, 401, new byte[0]);
                return;
            }
            if (path.startsWith("/api/models/")) {
                listFiles(exchange, path.substring("/api/models/".length()));
            } else if (path.contains("/resolve/")) {
                resolve(exchange, path);
            } else {
                send(exchange, 404, new byte[0]);
            }
        }
    }

    private void listFiles(HttpExchange exchange, String rest) throws IOException {
        int at = rest.indexOf("/revision/");
        Repo repo = at < 0 ? null : repos.get(rest.substring(0, at));
        if (repo == null) {
            exchange.getResponseHeaders().add("X-Error-Code", "RepoNotFound");
            send(exchange, 404, new byte[0]);
            return;
        }
        String revision = URLDecoder.decode(rest.substring(at + "/revision/".length()), StandardCharsets.UTF_8);
        String commit = commitOf(repo, revision);
        if (commit == null) {
            exchange.getResponseHeaders().add("X-Error-Code", "RevisionNotFound");
            send(exchange, 404, new byte[0]);
            return;
        }
        JsonObject json = new JsonObject();
        json.addProperty("sha", commit);
        JsonArray siblings = new JsonArray();
        for (String file : repo.filesByCommit().get(commit).keySet()) {
            JsonObject sibling = new JsonObject();
            sibling.addProperty("rfilename", file);
            siblings.add(sibling);
        }
        json.add("siblings", siblings);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, 200, json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String commitOf(Repo repo, String revision) {
        return repo.filesByCommit().containsKey(revision) ? revision : repo.revisions().get(revision);
    }

    /** {@code /<org>/<name>/resolve/<rev>/<file>}. */
    private void resolve(HttpExchange exchange, String rawPath) throws IOException {
        int at = rawPath.indexOf("/resolve/");
        Repo repo = repos.get(rawPath.substring(1, at));
        String[] revisionAndFile = rawPath.substring(at + "/resolve/".length()).split("/", 2);
        String commit = repo == null ? null
                : commitOf(repo, URLDecoder.decode(revisionAndFile[0], StandardCharsets.UTF_8));
        String file = URLDecoder.decode(revisionAndFile[1], StandardCharsets.UTF_8);
        byte[] content = commit == null ? null : repo.filesByCommit().get(commit).get(file);
        if (content == null) {
            exchange.getResponseHeaders().add("X-Error-Code", "EntryNotFound");
            send(exchange, 404, new byte[0]);
            return;
        }
        var headers = exchange.getResponseHeaders();
        headers.add("X-Repo-Commit", commit);
        if (isLfs(file)) {
            String sha = sha256(content);
            headers.add("X-Linked-Etag", "\"" + sha + "\"");
            headers.add("X-Linked-Size", String.valueOf(content.length));
            headers.add("ETag", "\"" + gitBlobSha1(("version https://git-lfs.github.com/spec/v1\noid sha256:" + sha)
                    .getBytes(StandardCharsets.UTF_8)) + "\"");
            headers.add("Location", (storage != null ? storage : endpoint()) + "/lfs/" + sha);
            send(exchange, 302, new byte[0]);
            return;
        }
        headers.add("ETag", "\"" + gitBlobSha1(content) + "\"");
        if (exchange.getRequestMethod().equals("HEAD")) {
            headers.add("Content-Length", String.valueOf(content.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        send(exchange, 200, content);
    }

    private void serveContent(HttpExchange exchange, String sha) throws IOException {
        byte[] content = lfs.get(sha);
        if (content == null) {
            send(exchange, 404, new byte[0]);
            return;
        }
        if (corrupted.contains(sha)) {
            content = content.clone();
            content[content.length / 2] ^= 1;
        }
        int from = 0;
        String range = exchange.getRequestHeaders().getFirst("Range");
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            exchange.getResponseHeaders().add("Content-Range",
                    "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int status = from > 0 ? 206 : 200;
        Long drop = dropAfter.remove(sha);
        if (drop != null) {
            // Announce the whole body, send part of it, close: the client sees the connection drop.
            exchange.sendResponseHeaders(status, content.length - from);
            OutputStream body = exchange.getResponseBody();
            body.write(content, from, (int) (drop - from));
            body.flush();
            throw new DroppedConnection();
        }
        Hold hold = holds.remove(sha);
        if (hold != null) {
            exchange.sendResponseHeaders(status, content.length - from);
            OutputStream body = exchange.getResponseBody();
            body.write(content, from, (int) (hold.bytes() - from));
            body.flush();
            try {
                hold.release().await();
                body.write(content, (int) hold.bytes(), (int) (content.length - hold.bytes()));
                body.close();
            } catch (InterruptedException | IOException e) {
                // The client went away: nothing more to send.
            }
            return;
        }
        byte[] rest = Arrays.copyOfRange(content, from, content.length);
        send(exchange, status, rest);
    }

    /** Thrown out of a handler so the server closes the connection in the middle of a body. */
    private static final class DroppedConnection extends RuntimeException {}

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
