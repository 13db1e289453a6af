package io.fijigen.plugin;

import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.v1.AddModelRequest;
import io.fijigen.proto.v1.DownloadProgress;
import io.fijigen.proto.v1.HubRepo;
import io.fijigen.proto.v1.Model;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The UI-free core of Plugins › fijigen › Models...: the engine's models as table rows, and model admin on it: add a
 * hub repo (downloaded by the engine, its progress told as it comes; cancellable), add a folder or checkpoint on the
 * engine's machine, remove a model (its files stay). The engine changes its registry at once, so the next Generate
 * dialog lists the change. Only an engine started with {@code --allow-model-admin} (the managed local engine) takes
 * the changes; another refuses them, and the refusal's message says so.
 */
public final class ModelsAction {
    /** The dtype choice that leaves it to the engine: fp16 where it runs the models it adds on a GPU, else fp32. */
    public static final String AUTO = "auto";
    /** What an added model's weights may be loaded as. */
    public static final List<String> DTYPES = List.of(AUTO, "fp32", "fp16");

    private final EngineClient client;

    public ModelsAction(EngineClient client) {
        this.client = client;
    }

    /** One model, as the table shows it. */
    public record Row(String id, String family, String kind, String dtype, long sizeOnDiskBytes, boolean loaded) {
        static Row of(Model model) {
            return new Row(model.getId(), model.getFamily(), kindName(model), model.getDtype(),
                    model.getSizeOnDiskBytes(), model.getLoaded());
        }

        /** Its size on disk in MiB or GiB, as a file manager shows it; "?" where the engine could not read its files. */
        public String size() {
            return sizeOnDiskBytes == 0 ? "?" : bytes(sizeOnDiskBytes);
        }
    }

    /** The engine's models, in its registry's order. */
    public List<Row> rows() throws EngineException {
        return client.listModels().getModelsList().stream().map(Row::of).toList();
    }

    /**
     * Registers hub repo {@code repo} (owner/name) at {@code revision} (empty: main) under {@code id} (empty: from
     * the repo's name), its weights loaded as {@code dtype} (one of {@link #DTYPES}), once the engine has downloaded
     * what its cache lacks; {@code progress} is told of each file's bytes on the calling thread. {@link #cancel()}
     * stops it; the next add of the repo resumes the download.
     */
    public Model addFromHub(String repo, String revision, String id, String dtype, Consumer<DownloadProgress> progress)
            throws EngineException {
        return client.addModel(request(id, dtype)
                .setHub(HubRepo.newBuilder().setRepoId(repo.strip()).setRevision(revision.strip())).build(), progress);
    }

    /**
     * Registers a folder or single {@code .safetensors} file on the engine's machine, inside its registry's roots, its
     * weights loaded as {@code dtype} (one of {@link #DTYPES}).
     */
    public Model addLocal(String path, String id, String dtype) throws EngineException {
        return client.addModel(request(id, dtype).setLocalPath(path.strip()).build(), progress -> { });
    }

    private static AddModelRequest.Builder request(String id, String dtype) {
        return AddModelRequest.newBuilder().setId(id.strip()).setDtype(dtype.equals(AUTO) ? "" : dtype);
    }

    /** Unregisters model {@code id}; its files stay on the engine's disk. */
    public Model remove(String id) throws EngineException {
        return client.removeModel(id);
    }

    /** Cancels a hub download running on another thread. */
    public void cancel() {
        client.cancel();
    }

    /** A download's progress in words: {@code "unet/diffusion_pytorch_model.safetensors: 1.2 of 3.2 GiB"}. */
    public static String progressText(DownloadProgress progress) {
        return progress.getFile() + ": " + bytes(progress.getBytesDone()) + " of " + bytes(progress.getBytesTotal());
    }

    /** A download's progress as ImageJ's progress bar takes it, 0..1. */
    public static double fraction(DownloadProgress progress) {
        return progress.getBytesTotal() == 0 ? 1 : progress.getBytesDone() / (double) progress.getBytesTotal();
    }

    /** A model's kind as the registry names it: {@code "controlnet"}, {@code "sd15"}. */
    public static String kindName(Model model) {
        return model.getKind().name().replace("MODEL_KIND_", "").toLowerCase(Locale.ROOT);
    }

    private static String bytes(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
