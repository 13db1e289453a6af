package io.fijigen.engine.cli;

import io.fijigen.engine.model.ComponentSummary;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.weights.TensorDtype;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fijigen models DIR}: what a downloaded model holds, from its headers, without loading it. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "Show what a model folder (or .safetensors file) holds: pipeline class, components, "
                + "parameter counts and dtypes.")
final class ModelsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "DIR", description = "a diffusers model folder, a component folder, a safety checker folder or a .safetensors file")
    Path path;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ModelSummary summary = ModelSummary.of(path);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %s%s%n", summary.path(), summary.kind(),
                summary.className().isEmpty() ? "" : " " + summary.className());
        for (ComponentSummary component : summary.components()) {
            out.printf(Locale.ROOT, "  %-16s %-28s %,14d parameters  %s  %d tensors  %s%n",
                    component.name(), component.className(), component.parameters(),
                    dtypes(component.parametersByDtype()), component.tensors(), size(component.bytes()));
        }
        for (Map.Entry<String, String> other : summary.others().entrySet()) {
            out.printf("  %-16s %s%n", other.getKey(), other.getValue());
        }
        out.printf(Locale.ROOT, "total %,d parameters%n", summary.parameters());
        out.flush();
        return 0;
    }

    private static String dtypes(Map<TensorDtype, Long> byDtype) {
        StringBuilder text = new StringBuilder();
        byDtype.forEach((dtype, count) -> text.append(text.length() == 0 ? "" : "+").append(dtype));
        return text.toString();
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(Locale.ROOT, "%.2f GiB", bytes / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
