package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.Settings;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import java.awt.Checkbox;
import java.awt.TextField;
import java.util.List;
import java.util.Optional;

/**
 * Plugins › fijigen › Server Settings...: where the engine is (host, port, token, TLS, timeout),
 * saved in ImageJ's preferences. The Test Connection button (the "test" key in macros) lists the
 * server's models in the Log window.
 */
public final class ServerSettingsPlugin implements PlugIn {
    static final String COMMAND = "Server Settings...";

    @Override
    public void run(String arg) {
        try {
            Connection saved = Settings.load();
            CommandDialog dialog = new CommandDialog(COMMAND);
            dialog.addString("Host (or host:port,host:port,...)", saved.host(), 30);
            dialog.addNumber("Port", saved.port(), 0);
            dialog.addSecret("Token (empty: none)", saved.token() == null ? "" : saved.token(), 30);
            dialog.addCheckbox("TLS", saved.tls());
            dialog.addNumber("Timeout (seconds, 0: none)", saved.timeoutSeconds(), 0);
            if (dialog.interactive()) {
                addTestButton(dialog.generic());
            } else {
                dialog.addCheckbox("Test connection (list the server's models in the Log)", false);
            }
            Optional<Choices> read = dialog.show(each -> new Choices(new Connection(each.nextString(), each.nextInt(),
                    each.nextString(), each.nextBoolean(), each.nextInt()), !each.interactive() && each.nextBoolean()));
            if (read.isEmpty()) {
                return;
            }
            Settings.save(read.get().connection());
            if (read.get().test()) {
                test(read.get().connection());
            }
        } catch (IllegalArgumentException | EngineException e) {
            EngineCommand.report("Server Settings", e.getMessage());
        }
    }

    /** What the dialog asks for: where the engine is, and (in macros) whether to try it now. */
    private record Choices(Connection connection, boolean test) {}

    /** Lists the models of the server at {@code connection} in the Log. */
    static ListModelsResponse test(Connection connection) throws EngineException {
        try (EngineClient client = new EngineClient(connection)) {
            ListModelsResponse response = client.listModels();
            IJ.log("fijigen: " + connection + " serves " + response.getModelsCount() + " models:");
            for (Model model : response.getModelsList()) {
                IJ.log("  " + model.getId() + " (" + model.getKind().name().replace("MODEL_KIND_", "").toLowerCase()
                        + (model.getLoaded() ? ", loaded" : "") + ")");
            }
            IJ.showStatus("fijigen: connected to " + connection);
            return response;
        }
    }

    /** Test Connection with what the dialog holds now, off the event thread. */
    private static void addTestButton(GenericDialog dialog) {
        dialog.addButton("Test Connection", event -> {
            @SuppressWarnings("unchecked")
            List<TextField> strings = (List<TextField>) (List<?>) dialog.getStringFields();
            @SuppressWarnings("unchecked")
            List<TextField> numbers = (List<TextField>) (List<?>) dialog.getNumericFields();
            @SuppressWarnings("unchecked")
            List<Checkbox> boxes = (List<Checkbox>) (List<?>) dialog.getCheckboxes();
            new Thread(() -> {
                try {
                    test(new Connection(strings.get(0).getText(), (int) Double.parseDouble(numbers.get(0).getText()),
                            strings.get(1).getText(), boxes.get(0).getState(),
                            (int) Double.parseDouble(numbers.get(1).getText())));
                } catch (EngineException | IllegalArgumentException e) {
                    EngineCommand.report("Server Settings", e.getMessage());
                }
            }, "fijigen connection test").start();
        });
    }
}
