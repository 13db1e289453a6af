package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.cli.FijigenCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The README's deployment examples parse, and say what the engine needs: HTTP/2 and gRPC health
 * checks towards the engines, no route timeout for long streams, a headless service, probes on
 * the health service, and {@code serve} arguments the command really takes.
 */
class DeployExamplesTest {
    private static final Path DEPLOY = Path.of("../deploy");

    @Test
    void envoyBalancesOverHealthCheckedHttp2Engines() throws IOException {
        Map<String, Object> config = map(load("envoy.yaml").get(0));
        Map<String, Object> resources = map(config.get("static_resources"));
        Map<String, Object> cluster = map(list(resources.get("clusters")).get(0));
        assertThat(cluster).containsEntry("lb_policy", "LEAST_REQUEST");
        assertThat(map(list(cluster.get("health_checks")).get(0))).containsKey("grpc_health_check");
        Map<String, Object> http = map(map(cluster.get("typed_extension_protocol_options"))
                .get("envoy.extensions.upstreams.http.v3.HttpProtocolOptions"));
        assertThat(map(http.get("explicit_http_config"))).containsKey("http2_protocol_options");
        Map<String, Object> listener = map(list(resources.get("listeners")).get(0));
        assertThat(map(map(listener.get("address")).get("socket_address"))).containsEntry("port_value", 7860);
        String routes = listener.toString();
        assertThat(routes).contains("cluster=fijigen_engines").contains("timeout=0s");
    }

    @Test
    void kubernetesHeadlessServiceAndProbedEngines() throws IOException {
        List<Object> documents = load("kubernetes.yaml");
        assertThat(documents).hasSize(2);
        Map<String, Object> service = map(documents.get(0));
        assertThat(service).containsEntry("kind", "Service");
        assertThat(map(service.get("spec"))).containsEntry("clusterIP", "None");
        Map<String, Object> deployment = map(documents.get(1));
        Map<String, Object> container = map(list(map(map(map(deployment.get("spec")).get("template")).get("spec"))
                .get("containers")).get(0));
        assertThat(map(map(container.get("readinessProbe")).get("grpc"))).containsEntry("port", 7860);
        List<String> args = new ArrayList<>();
        list(container.get("args")).forEach(arg -> args.add(arg.toString()));
        assertThat(args).startsWith("serve").contains("--token-file");
        // The arguments parse as fijigen serve's options (only the parse: nothing is started).
        assertThat(FijigenCli.commandLine().parseArgs(args.toArray(String[]::new)).hasSubcommand()).isTrue();
    }

    private static List<Object> load(String file) throws IOException {
        List<Object> documents = new ArrayList<>();
        new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Files.readString(DEPLOY.resolve(file)))
                .forEach(documents::add);
        return documents;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }
}
