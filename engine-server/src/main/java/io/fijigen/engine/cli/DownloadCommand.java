package io.fijigen.engine.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fijigen download org/name}: fills the Hugging Face hub cache with the files fijigen loads. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a Hugging Face hub repo's configs and safetensors weights into the hub cache"
                + " (HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub) and print its snapshot folder.",
            "Files already in the cache, e.g. from Python tools, are not fetched again; an interrupted download"
                + " resumes. Gated repos need HF_TOKEN."})
final class DownloadCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REPO", description = "a hub repo id, owner/name (or a bare name, for the hub's oldest repos)")
    String repo;

    @Mixin
    HubModelOptions hub;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path snapshot = hub.snapshot(spec, repo);
        spec.commandLine().getOut().println(snapshot);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
