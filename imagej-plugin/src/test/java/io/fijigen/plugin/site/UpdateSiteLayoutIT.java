package io.fijigen.plugin.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * {@code target/update-site/} after {@code package}, laid out as a Fiji.app: the plugin jar in
 * {@code plugins/}, the engine jar in {@code lib/fijigen/} where the launcher puts nothing on Fiji's
 * class path, and nothing in {@code jars/}, so no class of ours meets a Fiji library of another
 * version.
 */
class UpdateSiteLayoutIT {
    private static final Path SITE = Path.of(System.getProperty("fijigen.updateSite"));

    private static List<String> files() throws IOException {
        try (Stream<Path> walk = Files.walk(SITE)) {
            return walk.filter(Files::isRegularFile).map(file -> SITE.relativize(file).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }

    @Test
    void thePluginGoesToPluginsAndTheEngineWhereFijiLoadsNoClasses() throws IOException {
        String pluginJar = Path.of(System.getProperty("fijigen.pluginJar")).getFileName().toString();
        assertThat(pluginJar).matches("fijigen_plugin-[0-9].*\\.jar");
        assertThat(files()).containsExactly("lib/fijigen/fijigen-engine.jar", "plugins/" + pluginJar);
        assertThat(SITE.resolve("jars")).doesNotExist();
        try (JarFile engine = new JarFile(SITE.resolve("lib/fijigen/fijigen-engine.jar").toFile())) {
            assertThat(engine.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.fijigen.engine.cli.FijigenCli");
        }
    }

    @Test
    void thePluginJarCarriesNoLibraryClassThatFijiShipsUnderItsOwnName() throws IOException {
        try (JarFile plugin = new JarFile(SITE.resolve("plugins").toFile().listFiles()[0]);
                Stream<ZipEntry> entries = plugin.stream().map(ZipEntry.class::cast)) {
            List<String> clashing = entries.map(ZipEntry::getName).filter(name -> name.endsWith(".class"))
                    .filter(name -> Stream.of("io/grpc/", "com/google/", "io/netty/", "io/perfmark/", "org/slf4j/",
                            "ch/qos/", "ai/djl/").anyMatch(name::startsWith))
                    .toList();
            assertThat(clashing).isEmpty();
            assertThat(plugin.getEntry("plugins.config")).isNotNull();
        }
    }
}
