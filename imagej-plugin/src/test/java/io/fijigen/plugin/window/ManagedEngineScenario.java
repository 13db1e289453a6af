package io.fijigen.plugin.window;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.gui.NewImage;
import ij.text.TextWindow;
import java.awt.Choice;
import java.awt.Label;
import java.awt.Window;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What {@link ManagedEngineWindowIT} runs in a separate JVM on an X display: a fresh ImageJ with no
 * server configured and only the update site installed. Generate... starts the managed engine and
 * inserts a layer; the engine process is killed; the next Generate... restarts it; Server Settings
 * shows the managed engine, its devices and its Engine Log, as the Engine Log menu command does. The JVM then
 * quits as Fiji does ({@code System.exit}, its shutdown hooks run). Uses ImageJ's and the JDK's API
 * only, never the plugin's classes: the engine is found as this JVM's child process.
 *
 * <p>Arguments: a folder for {@code scenario.properties}.
 */
public final class ManagedEngineScenario {
    private static final String GENERATE = "model=tiny-sd15 prompt=[a cell] steps=2 seed=7 from strength=1";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        ScenarioRun.runAndExit("ManagedEngineScenario", out, ManagedEngineScenario::run);
    }

    private static void run(Properties facts) throws Exception {
        new ImageJ();
        Dialogs.closeErrorMessages(facts);
        ImagePlus imp = NewImage.createRGBImage("cells", 64, 64, 1, NewImage.FILL_WHITE);
        imp.show();
        facts.setProperty("engines.before", Long.toString(engines().count()));

        IJ.run(imp, "Generate...", GENERATE);
        facts.setProperty("first.layers", ImageFacts.layers(imp));
        ProcessHandle first = engines().findFirst().orElseThrow(() -> new AssertionError("no engine process"));
        facts.setProperty("first.pid", Long.toString(first.pid()));

        first.destroyForcibly();
        first.onExit().get(30, TimeUnit.SECONDS);
        IJ.run(imp, "Generate...", GENERATE);
        facts.setProperty("second.layers", ImageFacts.layers(imp));
        ProcessHandle second = engines().findFirst().orElseThrow(() -> new AssertionError("no engine restarted"));
        facts.setProperty("second.pid", Long.toString(second.pid()));
        facts.setProperty("engines.after", Long.toString(engines().count()));
        settingsShowTheManagedEngine(facts);
        menuShowsTheEngineLog(facts);
    }

    /** Server Settings: the engine choice, the devices the running engine reports, its Engine Log. */
    private static void settingsShowTheManagedEngine(Properties facts) throws Exception {
        IJ.doCommand("Server Settings...");
        GenericDialog dialog = Dialogs.awaitDialog("Server Settings...");
        facts.setProperty("settings.engine", ((Choice) dialog.getChoices().get(0)).getSelectedItem());
        facts.setProperty("settings.device", ((Choice) dialog.getChoices().get(1)).getSelectedItem());
        facts.setProperty("settings.devices", Dialogs.components(dialog, Label.class).stream().map(Label::getText)
                .filter(text -> text.startsWith("Devices")).findFirst().orElse("none"));
        Dialogs.press(Dialogs.button(dialog, "Engine Log"));
        facts.setProperty("engineLog.serving", servingLinesInEngineLog());
        Dialogs.press(dialog.getButtons()[1]);
        Dialogs.await(() -> !dialog.isShowing(), "the cancelled dialog to close");
    }

    /** Plugins › fijigen › Engine Log: the same window as the button's. */
    private static void menuShowsTheEngineLog(Properties facts) throws Exception {
        IJ.doCommand("Engine Log");
        facts.setProperty("engineLogMenu.serving", servingLinesInEngineLog());
    }

    /** The serving lines in the Engine Log window once it shows; the window is closed again. */
    private static String servingLinesInEngineLog() throws Exception {
        TextWindow[] log = new TextWindow[1];
        Dialogs.await(() -> {
            for (Window window : Window.getWindows()) {
                if (window instanceof TextWindow text && text.isShowing()
                        && text.getTitle().equals("fijigen Engine Log")) {
                    log[0] = text;
                    return true;
                }
            }
            return false;
        }, "the Engine Log window");
        long serving = log[0].getTextPanel().getText().lines()
                .filter(line -> line.startsWith("fijigen engine serving 1 models on 127.0.0.1:")).count();
        log[0].close();
        return Long.toString(serving);
    }

    /** This JVM's engine processes: {@code java ... -jar .../fijigen-engine.jar serve}. */
    private static java.util.stream.Stream<ProcessHandle> engines() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive)
                .filter(child -> child.info().arguments().map(arguments -> String.join(" ", arguments))
                        .orElse("").contains("fijigen-engine.jar serve"));
    }
}
