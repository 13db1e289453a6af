package io.fijigen.engine.cli;

import io.fijigen.engine.hub.CachedRepo;
import io.fijigen.engine.hub.DownloadListener;
import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.hub.SnapshotDownload;
import io.fijigen.engine.model.ComponentSummary;
import io.fijigen.engine.model.ModelSummary;
import io.fijigen.engine.weights.TensorDtype;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fijigen models MODEL}: what a downloaded model holds, from its headers, without loading it;
 * without MODEL, every repo in the hub cache, each checked the same way.
 */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Show what a model folder (or .safetensors file, or hub repo in the hub cache) holds: pipeline"
                + " class, family (sd15, sd2, sdxl, sdxl-inpaint, ...) and native size, components, parameter counts"
                + " and dtypes.",
            "Without MODEL, list the repos in the hub cache (HF_HUB_CACHE, else $HF_HOME/hub, else"
                + " ~/.cache/huggingface/hub) and check that each snapshot loads. Never downloads."})
final class ModelsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "a diffusers model folder, a component folder, a"
            + " safety checker folder, a .safetensors file, or a hub repo id (owner/name) in the hub cache")
    Path path;

    @Option(names = "--revision", defaultValue = HubCache.DEFAULT_REVISION,
            description = "the branch, tag or commit of a hub repo id (default ${DEFAULT-VALUE})")
    String revision;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (path == null) {
            return listHubCache();
        }
        Optional<String> hubId = HubModelOptions.hubId(path);
        Path folder = hubId.isPresent()
                ? new SnapshotDownload(FijigenCli.hubSettings(spec), DownloadListener.NONE).cached(hubId.get(), revision)
                : path;
        ModelSummary summary = ModelSummary.of(folder);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%s: %s%s%n", summary.path(), summary.kind(),
                summary.className().isEmpty() ? "" : " " + summary.className());
        summary.family().ifPresent(family -> out.printf("  %-16s %s (%s)%s%n", "family", family.id(),
                family.description(), summary.nativeSize().isPresent() ? ", native size "
                        + summary.nativeSize().getAsInt() + "×" + summary.nativeSize().getAsInt() : ""));
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

    /** One line per snapshot in the hub cache: the refs pointing at it, what it holds, or why it does not load. */
    private int listHubCache() throws IOException {
        HubCache cache = FijigenCli.hubSettings(spec).hubCache();
        PrintWriter out = spec.commandLine().getOut();
        List<CachedRepo> repos = cache.repos();
        out.printf("hub cache %s: %s%n", cache.root(), repos.isEmpty()
                ? "no models (fijigen download owner/name fills it)" : repos.size() + " repos");
        int broken = 0;
        for (CachedRepo repo : repos) {
            for (String commit : repo.snapshots()) {
                List<String> refs = repo.refs().entrySet().stream()
                        .filter(ref -> ref.getValue().equals(commit)).map(Map.Entry::getKey).toList();
                String name = repo.repo() + (refs.isEmpty() ? "@" + commit : " " + String.join(",", refs)
                        + " (" + commit + ")");
                try {
                    ModelSummary summary = ModelSummary.of(cache.snapshot(repo.repo(), commit).orElseThrow());
                    out.printf(Locale.ROOT, "  %s: %s%s%s, %,d parameters%n", name, summary.kind(),
                            summary.className().isEmpty() ? "" : " " + summary.className(),
                            summary.family().map(family -> ", " + family.id()).orElse(""), summary.parameters());
                } catch (IOException | RuntimeException e) {
                    broken++;
                    out.printf("  %s: does not load: %s (fijigen download %s%s fetches what is missing)%n", name,
                            e.getMessage(), repo.repo(), refs.isEmpty() ? " --revision " + commit
                                    : refs.contains(HubCache.DEFAULT_REVISION) ? "" : " --revision " + refs.get(0));
                }
            }
        }
        out.flush();
        return broken == 0 ? 0 : 1;
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
