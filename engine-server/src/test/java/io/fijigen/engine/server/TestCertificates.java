package io.fijigen.engine.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Keys and certificates for the TLS tests, made at test time by the JDK's own keytool: no test
 * dependency, and no key material in the repository that could expire or be mistaken for real.
 * EC P-256 keys, valid for two days, written as PEM files (the key as unencrypted PKCS#8, the form
 * netty reads).
 */
final class TestCertificates {
    /** A certificate and its private key, as PEM files. */
    record Identity(Path cert, Path key) {}

    private static final String PASSWORD = "test-only";

    private final Path dir;
    private final Path keystore;

    TestCertificates(Path dir) {
        this.dir = dir;
        this.keystore = dir.resolve("keys.p12");
    }

    /** A new key with a self-signed certificate; {@code extensions} as keytool's -ext takes them. */
    Identity selfSigned(String name, String... extensions) throws Exception {
        keytool(newKey(name, extensions));
        Path cert = dir.resolve(name + ".crt");
        keytool("-exportcert", "-rfc", "-alias", name, "-file", cert.toString());
        return new Identity(cert, exportKey(name));
    }

    /** A new key with a certificate signed by {@code issuer}'s key (one made by {@link #selfSigned}). */
    Identity signedBy(String issuer, String name, String... extensions) throws Exception {
        keytool(newKey(name));
        Path request = dir.resolve(name + ".csr");
        keytool("-certreq", "-alias", name, "-file", request.toString());
        Path cert = dir.resolve(name + ".crt");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-validity", "2", "-alias", issuer,
                "-infile", request.toString(), "-outfile", cert.toString()));
        addExtensions(sign, extensions);
        keytool(sign.toArray(String[]::new));
        return new Identity(cert, exportKey(name));
    }

    private static String[] newKey(String name, String... extensions) {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-alias", name, "-dname", "CN=" + name));
        addExtensions(args, extensions);
        return args.toArray(String[]::new);
    }

    private static void addExtensions(List<String> args, String... extensions) {
        for (String extension : extensions) {
            args.add("-ext");
            args.add(extension);
        }
    }

    /** keytool keeps keys in the keystore only; netty wants them as PEM files. */
    private Path exportKey(String name) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Key key = store.getKey(name, PASSWORD.toCharArray());
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return Files.writeString(dir.resolve(name + ".key"), pem);
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-noprompt", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool " + args[0] + " failed: " + output);
        }
    }
}
