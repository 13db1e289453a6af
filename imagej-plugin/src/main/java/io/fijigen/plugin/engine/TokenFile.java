package io.fijigen.plugin.engine;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random bearer token in a file only its owner can read ({@code rw-------}; on Windows, a file
 * in the user's own profile folder), for the engine's {@code --token-file}: other users of the
 * computer cannot run jobs on the engine the plugin started, though its port is on loopback.
 *
 * @param file where the token is
 * @param token the token
 */
record TokenFile(Path file, String token) {

    /** A new token in a new file in {@code dir}. */
    static TokenFile create(Path dir) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path file = Files.createTempFile(dir, "engine-", ".token", ownerOnly);
        Files.writeString(file, token);
        return new TokenFile(file, token);
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // Left behind in the plugin's own folder, readable by its owner only: harmless.
        }
    }
}
