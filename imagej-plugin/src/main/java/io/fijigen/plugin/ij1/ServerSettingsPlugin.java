package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.Macro;
import ij.gui.GenericDialog;
import ij.plugin.PlugIn;
import io.fijigen.plugin.ModelsAction;
import io.fijigen.plugin.client.Connection;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.Settings;
import io.fijigen.plugin.engine.EngineChoice;
import io.fijigen.plugin.engine.EngineDevice;
import io.fijigen.plugin.engine.EngineSettings;
import io.fijigen.proto.v1.Device;
import io.fijigen.proto.v1.ListModelsResponse;
import io.fijigen.proto.v1.Model;
import java.awt.Checkbox;
import java.awt.Choice;
import java.awt.TextField;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Plugins › fijigen › Server Settings...: which engine the plugin uses, the one it starts on this
 * computer (managed: its jar, memory, device and libtorch) or remote server(s) (host, port, token,
 * TLS), and the timeout; saved in ImageJ's preferences. The Test Connection button (the "test" key
 * in macros) lists the engine's models and devices in the Log; Engine Log shows what the managed
 * engine wrote.
 */
public final class ServerSettingsPlugin implements PlugIn {
    static final String COMMAND = "Server Settings...";
    private static final List<String> ENGINES = List.of("managed", "remote");
    private static final List<String> DEVICES = List.of("cpu", "gpu");

    @Override
    public void run(String arg) {
        try {
            Connection saved = Settings.load();
            EngineSettings engine = EngineSettings.load();
            CommandDialog dialog = new CommandDialog(COMMAND);
            dialog.addChoice("Engine", ENGINES, engineShown(engine));
            dialog.addString("Host (or host:port,host:port,...)", saved.host(), 30);
            dialog.addNumber("Port", saved.port(), 0);
            dialog.addSecret("Token (empty: none)", saved.token() == null ? "" : saved.token(), 30);
            dialog.addCheckbox("TLS", saved.tls());
            dialog.addNumber("Timeout (seconds, 0: none)", saved.timeoutSeconds(), 0);
            dialog.addString("Jar of the managed engine (empty: " + EngineSettings.UPDATE_SITE_JAR + " in Fiji)",
                    engine.engineJar(), 30);
            dialog.addNumber("Memory of the managed engine (MiB)", engine.memoryMib(), 0);
            dialog.addChoice("Device of the managed engine", DEVICES, engine.device().configName());
            dialog.addString("Libtorch folder (empty: bundled CPU, or CUDA fetched on first use)",
                    engine.libtorch(), 30);
            if (dialog.interactive()) {
                devices().ifPresent(dialog.generic()::addMessage);
                addButtons(dialog.generic());
            } else {
                dialog.addCheckbox("Test connection (list the engine's models in the Log)", false);
            }
            Optional<Choices> read = dialog.show(each -> {
                boolean managed = each.nextChoice().equals("managed");
                Connection connection = new Connection(each.nextString(), each.nextInt(), each.nextString(),
                        each.nextBoolean(), each.nextInt());
                EngineSettings settings = new EngineSettings(managed, each.nextString(), each.nextInt(),
                        EngineDevice.of(each.nextChoice()), each.nextString());
                return new Choices(connection, settings, !each.interactive() && each.nextBoolean());
            });
            if (read.isEmpty()) {
                return;
            }
            Settings.save(read.get().connection());
            read.get().engine().save();
            if (read.get().test()) {
                test(read.get().engine().managed() ? EngineChoice.connection() : read.get().connection());
            }
        } catch (IllegalArgumentException | IllegalStateException | EngineException e) {
            EngineCommand.report("Server Settings", e.getMessage());
        }
    }

    /**
     * The engine the dialog opens with. A macro line that names a host but no engine was recorded
     * before the plugin could start its own engine: it means that server.
     */
    private static String engineShown(EngineSettings engine) {
        String options = Macro.getOptions();
        if (options != null && options.contains("host=") && !options.contains("engine=")) {
            return "remote";
        }
        return engine.managed() ? "managed" : "remote";
    }

    /** What the dialog asks for: which engine, where it is or how it runs, and (in macros) whether to try it. */
    private record Choices(Connection connection, EngineSettings engine, boolean test) {}

    /** Lists the models and devices of the engine at {@code connection} in the Log. */
    static ListModelsResponse test(Connection connection) throws EngineException {
        try (EngineClient client = new EngineClient(connection)) {
            ListModelsResponse response = client.listModels();
            IJ.log("fijigen: " + connection + " serves " + response.getModelsCount() + " models:");
            for (Model model : response.getModelsList()) {
                IJ.log("  " + model.getId() + " (" + ModelsAction.kindName(model) + (model.getLoaded() ? ", loaded" : "")
                        + ")");
            }
            IJ.log("  devices: " + devices(response));
            IJ.showStatus("fijigen: connected to " + connection);
            return response;
        }
    }

    /** The devices an engine reports, e.g. {@code cpu (8.0 GiB), gpu0}. */
    static String devices(ListModelsResponse response) {
        return response.getDevicesList().stream().map(ServerSettingsPlugin::device).collect(Collectors.joining(", "));
    }

    private static String device(Device device) {
        return device.getMemoryBytes() == 0 ? device.getName()
                : String.format(java.util.Locale.ROOT, "%s (%.1f GiB)", device.getName(),
                        device.getMemoryBytes() / 1073741824.0);
    }

    /** The running managed engine's devices, for the dialog; it is not started just for them. */
    private static Optional<String> devices() {
        return EngineChoice.managed().filter(engine -> engine.pid().isPresent()).flatMap(engine -> {
            try (EngineClient client = new EngineClient(engine.connection())) {
                return Optional.of("Devices of the engine on this computer: " + devices(client.listModels()));
            } catch (EngineException | IllegalStateException e) {
                return Optional.empty();
            }
        });
    }

    /** Test Connection with what the dialog holds now, off the event thread; Engine Log. */
    private static void addButtons(GenericDialog dialog) {
        dialog.addButton("Test Connection", event -> {
            @SuppressWarnings("unchecked")
            List<TextField> strings = (List<TextField>) (List<?>) dialog.getStringFields();
            @SuppressWarnings("unchecked")
            List<TextField> numbers = (List<TextField>) (List<?>) dialog.getNumericFields();
            @SuppressWarnings("unchecked")
            List<Checkbox> boxes = (List<Checkbox>) (List<?>) dialog.getCheckboxes();
            @SuppressWarnings("unchecked")
            List<Choice> choices = (List<Choice>) (List<?>) dialog.getChoices();
            new Thread(() -> {
                try {
                    if (choices.get(0).getSelectedItem().equals("managed")) {
                        test(EngineChoice.connection(new EngineSettings(true, strings.get(2).getText(),
                                (int) Double.parseDouble(numbers.get(2).getText()),
                                EngineDevice.of(choices.get(1).getSelectedItem()), strings.get(3).getText()))
                                .withTimeout((int) Double.parseDouble(numbers.get(1).getText())));
                    } else {
                        test(new Connection(strings.get(0).getText(),
                                (int) Double.parseDouble(numbers.get(0).getText()),
                                strings.get(1).getText(), boxes.get(0).getState(),
                                (int) Double.parseDouble(numbers.get(1).getText())));
                    }
                } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
                    EngineCommand.report("Server Settings", e.getMessage());
                }
            }, "fijigen connection test").start();
        });
        dialog.addButton("Engine Log", event -> EngineLogPlugin.show());
    }
}
