package io.fijigen.engine.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Where to send a job instead of running it here: shared by the commands that can run remotely. */
final class RemoteOptions {
    /** Options that choose how this machine runs a model: the server's registry decides that remotely. */
    private static final List<String> LOCAL_ONLY = List.of("--device", "--dtype");

    @Option(names = "--server", split = ",", paramLabel = "HOST:PORT", description = "run on these engine servers"
            + " (fijigen serve) instead of here; several, comma-separated, share the jobs round-robin")
    List<String> servers;

    @Option(names = "--token-file", paramLabel = "FILE", description = "with --server: a file holding the server's"
            + " bearer token")
    Path tokenFile;

    @Option(names = "--tls", description = "with --server: connect over TLS")
    boolean tls;

    @Option(names = "--tls-trust", paramLabel = "CERT.pem", description = "with --tls: trust this certificate (e.g."
            + " the server's self-signed one) instead of the system's trust store")
    Path tlsTrust;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    boolean given() {
        return servers != null && !servers.isEmpty();
    }

    /** A client for the servers; progress and queue position go to {@code err}. */
    RemoteEngine connect(PrintWriter err) throws IOException {
        for (String option : LOCAL_ONLY) {
            if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + " has no meaning with --server: the server's model"
                        + " registry decides where and in which precision a model runs");
            }
        }
        if (tlsTrust != null && !tls) {
            throw new IllegalArgumentException("--tls-trust needs --tls");
        }
        String token = tokenFile != null ? Files.readString(tokenFile).strip() : null;
        return RemoteEngine.open(servers, token, tls, tlsTrust, err);
    }
}
