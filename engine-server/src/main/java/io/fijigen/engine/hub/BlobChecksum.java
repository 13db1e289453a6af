package io.fijigen.engine.hub;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The hash the hub announces for a file in its ETag, computed over the bytes as they arrive: an LFS
 * file's ETag is the sha256 of its content (64 hex digits), a small file's is its git blob id, the sha1
 * of {@code "blob <size>\0"} followed by the content (40 hex digits).
 */
final class BlobChecksum {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern GIT_SHA1 = Pattern.compile("[0-9a-f]{40}");

    private final String expected;
    private final String algorithm;
    private final MessageDigest digest;

    private BlobChecksum(String expected, String algorithm, MessageDigest digest) {
        this.expected = expected;
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /** Whether an ETag is a hash this class checks; only those name blobs, so no ETag reaches a path unchecked. */
    static boolean isKnown(String etag) {
        return SHA256.matcher(etag).matches() || GIT_SHA1.matcher(etag).matches();
    }

    static BlobChecksum of(String etag, long size) {
        try {
            if (SHA256.matcher(etag).matches()) {
                return new BlobChecksum(etag, "sha256", MessageDigest.getInstance("SHA-256"));
            }
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            return new BlobChecksum(etag, "git blob sha1", sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256 and SHA-1", e);
        }
    }

    /** Feeds the bytes an earlier attempt left, before the resumed download appends to them. */
    void update(Path partial) throws IOException {
        try (InputStream in = Files.newInputStream(partial)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        }
    }

    void update(byte[] bytes, int offset, int length) {
        digest.update(bytes, offset, length);
    }

    /** @throws ChecksumMismatchException naming the file, the expected and the actual hash */
    void verify(String description) throws ChecksumMismatchException {
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(expected)) {
            throw new ChecksumMismatchException(description + ": checksum mismatch, " + algorithm + " expected "
                    + expected + " (the hub's ETag) but the downloaded bytes hash to " + actual
                    + "; the corrupt download was deleted, nothing was cached: run the download again");
        }
    }
}
