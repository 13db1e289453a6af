package io.fijigen.plugin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin in layers: the gRPC client and the image conversions at the bottom, the managed
 * engine (the engine process the plugin starts) over the client, the overlay
 * layers above them, the UI-free actions above those, and the two thin command sets on top, the
 * ImageJ1 menu commands and the SciJava commands, neither reaching into the other. The plugin talks
 * to the engine over the wire only: it never uses the engine's classes.
 */
class PackageLayersTest {
    private static JavaClasses plugin;

    @BeforeAll
    static void importPlugin() {
        plugin = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fijigen.plugin");
    }

    @Test
    void packagesUseOnlyTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Client").definedBy("io.fijigen.plugin.client..")
                .layer("Managed engine").definedBy("io.fijigen.plugin.engine..")
                .layer("Images").definedBy("io.fijigen.plugin.ui..")
                .layer("Layers").definedBy("io.fijigen.plugin.layers..")
                .layer("Actions").definedBy("io.fijigen.plugin")
                .layer("ImageJ1 commands").definedBy("io.fijigen.plugin.ij1..")
                .layer("SciJava commands").definedBy("io.fijigen.plugin.scijava..")
                .whereLayer("ImageJ1 commands").mayNotBeAccessedByAnyLayer()
                .whereLayer("SciJava commands").mayNotBeAccessedByAnyLayer()
                .whereLayer("Managed engine").mayOnlyBeAccessedByLayers("ImageJ1 commands", "SciJava commands")
                .whereLayer("Actions").mayOnlyBeAccessedByLayers("ImageJ1 commands", "SciJava commands")
                .whereLayer("Layers").mayOnlyBeAccessedByLayers("Actions", "ImageJ1 commands", "SciJava commands")
                .check(plugin);
    }

    @Test
    void thePluginNeverUsesTheEngine() {
        noClasses().that().resideInAPackage("io.fijigen.plugin..")
                .should().dependOnClassesThat().resideInAPackage("io.fijigen.engine..")
                .check(plugin);
    }
}
