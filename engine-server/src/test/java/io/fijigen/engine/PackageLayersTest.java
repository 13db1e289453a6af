package io.fijigen.engine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.fijigen.engine.image.ForbiddenImportProbe;
import io.fijigen.engine.pipeline.GenerationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine's packages in layers, each using only those below it: host tensors at the bottom;
 * weights, config, text, image, schedule, hub, runtime and random numbers; the networks; model
 * loading; the pipelines; then the server, the bench and the command line on top. No two packages
 * depend on each other, and below the server nothing knows gRPC or the wire messages.
 */
class PackageLayersTest {
    private static final String ENGINE = "io.fijigen.engine.";
    private static final String[] FOUNDATIONS = {ENGINE + "config..", ENGINE + "weights..", ENGINE + "text..",
            ENGINE + "image..", ENGINE + "schedule..", ENGINE + "hub..", ENGINE + "runtime..", ENGINE + "random.."};

    static final ArchRule LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Tensor").definedBy(ENGINE + "tensor..")
            .layer("Foundations").definedBy(FOUNDATIONS)
            .layer("Networks").definedBy(ENGINE + "nn..")
            .layer("Model").definedBy(ENGINE + "model..")
            .layer("Pipeline").definedBy(ENGINE + "pipeline..")
            .layer("Server").definedBy(ENGINE + "server..")
            .layer("Bench").definedBy(ENGINE + "bench..")
            .layer("Cli").definedBy(ENGINE + "cli..")
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("Server").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Bench").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Server", "Bench", "Cli")
            .whereLayer("Model").mayOnlyBeAccessedByLayers("Pipeline", "Server", "Bench", "Cli")
            .whereLayer("Networks").mayOnlyBeAccessedByLayers("Model", "Pipeline", "Server", "Bench", "Cli")
            .whereLayer("Foundations")
            .mayOnlyBeAccessedByLayers("Networks", "Model", "Pipeline", "Server", "Bench", "Cli");

    static final ArchRule NO_CYCLES = slices().matching(ENGINE + "(*)..").should().beFreeOfCycles();

    /** The engine below the server is the same for a local run and a served one: no wire types in it. */
    static final ArchRule NO_WIRE_BELOW_SERVER = noClasses()
            .that().resideInAnyPackage(ENGINE + "tensor..", ENGINE + "nn..", ENGINE + "model..", ENGINE + "pipeline..")
            .or().resideInAnyPackage(FOUNDATIONS)
            .should().dependOnClassesThat().resideInAnyPackage("io.grpc..", "io.fijigen.proto..", "picocli..");

    private static JavaClasses engine;

    @BeforeAll
    static void importEngine() {
        engine = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.fijigen.engine");
    }

    @Test
    void packagesUseOnlyTheLayersBelowThem() {
        LAYERS.check(engine);
    }

    @Test
    void noTwoPackagesDependOnEachOther() {
        NO_CYCLES.check(engine);
    }

    @Test
    void onlyTheServerTheBenchAndTheCommandLineKnowTheWire() {
        NO_WIRE_BELOW_SERVER.check(engine);
    }

    /** The rules bite: an image class that imports the pipeline breaks both the layering and the cycle rule. */
    @Test
    void aForbiddenImportIsCaught() {
        JavaClasses withProbe = new ClassFileImporter().importClasses(ForbiddenImportProbe.class,
                GenerationRequest.class, io.fijigen.engine.image.Masks.class);
        EvaluationResult layers = LAYERS.evaluate(withProbe);
        assertThat(layers.hasViolation()).isTrue();
        assertThat(layers.getFailureReport().toString())
                .contains(ForbiddenImportProbe.class.getName())
                .contains(GenerationRequest.class.getName());
    }
}
