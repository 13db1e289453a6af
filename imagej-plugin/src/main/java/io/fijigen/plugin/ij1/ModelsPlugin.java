package io.fijigen.plugin.ij1;

import ij.IJ;
import io.fijigen.plugin.ModelsAction;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.proto.v1.Model;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › Models...: the engine's models (id, family, kind, dtype, size on disk, loaded), and the admin
 * actions of {@link ModelsAction}: add from the hub (the engine downloads; progress in ImageJ's progress bar and status
 * line, Esc cancels, and a later add resumes), add a folder or checkpoint on the engine's machine, either loaded as the
 * dtype chosen (auto: the engine's default for its device), remove one (its files stay). One dialog whose Action choice
 * picks what to do, so every action is macro-recordable, e.g.
 * {@code run("Models...", "action=[Add from hub] hub=org/name revision= local= id= dtype=auto remove=x")}. Only an
 * engine started with {@code --allow-model-admin} (the managed local engine) takes the changes.
 */
public final class ModelsPlugin extends EngineCommand {
    static final String COMMAND = "Models...";
    static final String LIST = "List in the Log";
    static final String ADD_HUB = "Add from hub";
    static final String ADD_LOCAL = "Add local";
    static final String REMOVE = "Remove";
    /** The remove choice of an engine without models; no model id has parentheses. */
    static final String NONE = "(none)";
    /** A row of the table: id, family, kind, dtype, size, loaded. */
    private static final String ROW = "%-24s %-14s %-11s %-5s %10s  %s";

    public ModelsPlugin() {
        super("Models");
    }

    /** What the dialog asks for. */
    private record Choices(String action, String hubRepo, String revision, String localPath, String id, String dtype,
            String remove) {}

    @Override
    void run(EngineClient client) throws EngineException {
        ModelsAction models = new ModelsAction(client);
        List<ModelsAction.Row> rows = models.rows();
        CommandDialog dialog = new CommandDialog(COMMAND);
        dialog.addNote(String.format(ROW, "id", "family", "kind", "dtype", "size", "loaded"));
        for (ModelsAction.Row row : rows) {
            dialog.addNote(line(row));
        }
        dialog.addChoice("Action", List.of(LIST, ADD_HUB, ADD_LOCAL, REMOVE), LIST);
        dialog.addString("Hub repo (owner/name)", "", 36);
        dialog.addString("Revision (empty: main)", "", 20);
        dialog.addString("Local path (folder or .safetensors on the engine's machine)", "", 36);
        dialog.addString("Id (empty: from the name)", "", 20);
        dialog.addChoice("dtype (auto: fp16 on a GPU engine, fp32 on a CPU one)", ModelsAction.DTYPES,
                ModelsAction.AUTO);
        // An engine may have no models yet (a managed engine starts so); a choice needs an item.
        List<String> ids = rows.isEmpty() ? List.of(NONE) : rows.stream().map(ModelsAction.Row::id).toList();
        dialog.addChoice("Remove model", ids, ids.get(0));
        Optional<Choices> read = dialog.show(each -> checked(new Choices(each.nextChoice(), each.nextString(),
                each.nextString(), each.nextString(), each.nextString(), each.nextChoice(), each.nextChoice())));
        if (read.isEmpty()) {
            return;
        }
        Choices choices = read.get();
        switch (choices.action()) {
            case ADD_HUB -> added(addFromHub(models, choices));
            case ADD_LOCAL -> added(models.addLocal(choices.localPath(), choices.id(), choices.dtype()));
            case REMOVE -> IJ.showStatus("fijigen: model " + models.remove(choices.remove()).getId()
                    + " removed (its files stay)");
            default -> {
                IJ.log("fijigen: " + client.connection() + " serves " + rows.size() + " models:");
                rows.forEach(row -> IJ.log("  " + line(row)));
            }
        }
    }

    /** The action's own field must be filled: checked as the user types, so OK stays off until it is. */
    private static Choices checked(Choices choices) {
        if (choices.action().equals(ADD_HUB) && !choices.hubRepo().strip().matches("[^/\\s]+/[^/\\s]+")) {
            throw new IllegalArgumentException("Hub repo: give owner/name, e.g. stable-diffusion-v1-5/"
                    + "stable-diffusion-v1-5");
        }
        if (choices.action().equals(REMOVE) && choices.remove().equals(NONE)) {
            throw new IllegalArgumentException("Remove model: the engine has no models");
        }
        if (choices.action().equals(ADD_LOCAL) && choices.localPath().isBlank()) {
            throw new IllegalArgumentException("Local path: give a folder or .safetensors file on the engine's machine");
        }
        return choices;
    }

    /** The download's progress in ImageJ's bar and status line; Esc cancels it. */
    private static Model addFromHub(ModelsAction models, Choices choices) throws EngineException {
        IJ.showStatus("fijigen: asking the engine for " + choices.hubRepo() + "… (Esc cancels)");
        try (EscapeKey escape = new EscapeKey(models::cancel)) {
            return models.addFromHub(choices.hubRepo(), choices.revision(), choices.id(), choices.dtype(),
                    progress -> {
                        IJ.showProgress(ModelsAction.fraction(progress));
                        IJ.showStatus("fijigen: downloading " + ModelsAction.progressText(progress) + " (Esc cancels)");
                    });
        } finally {
            IJ.showProgress(1.0);
        }
    }

    private static void added(Model model) {
        IJ.showStatus("fijigen: model " + model.getId() + " added: Generate and the other commands offer it now");
        IJ.log("fijigen: model " + model.getId() + " added (" + ModelsAction.kindName(model)
                + (model.getFamily().isEmpty() ? "" : ", " + model.getFamily())
                + (model.getDtype().isEmpty() ? "" : ", " + model.getDtype()) + ")");
    }

    private static String line(ModelsAction.Row row) {
        return String.format(ROW, row.id(), row.family().isEmpty() ? "-" : row.family(), row.kind(),
                row.dtype().isEmpty() ? "-" : row.dtype(), row.size(), row.loaded() ? "loaded" : "");
    }
}
