package io.fijigen.plugin.window;

import static io.fijigen.plugin.window.Dialogs.await;
import static io.fijigen.plugin.window.Dialogs.awaitDialog;
import static io.fijigen.plugin.window.Dialogs.button;
import static io.fijigen.plugin.window.Dialogs.components;
import static io.fijigen.plugin.window.Dialogs.fields;
import static io.fijigen.plugin.window.Dialogs.items;
import static io.fijigen.plugin.window.Dialogs.press;
import static io.fijigen.plugin.window.Dialogs.textAreas;
import static io.fijigen.plugin.window.Dialogs.type;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.OvalRoi;
import ij.gui.Roi;
import ij.process.ColorProcessor;
import java.awt.Choice;
import java.awt.Label;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.imageio.ImageIO;

/**
 * What {@link DialogsWindowIT} runs in a separate JVM on an X display: a real ImageJ with only
 * {@code ij.jar} on its class path and the shaded plugin in its plugins folder, driven through its
 * dialogs as a user drives them (fields typed, buttons pressed), then through the README's macro
 * lines. Uses ImageJ's and AWT's API only, never the plugin's classes. Error messages the plugin
 * shows are recorded and closed, so a failure ends the scenario instead of blocking it.
 *
 * <p>Arguments: the engine's port, a folder for the screenshots and {@code scenario.properties},
 * the README.
 */
public final class DialogScenario {
    /** What starts the README's paragraph before its plugin macro block. */
    private static final String MACROS = "**Macros**";

    private final Properties facts;
    private final Path out;
    private final Robot robot;

    private DialogScenario(Properties facts, Path out) throws Exception {
        this.facts = facts;
        this.out = out;
        this.robot = new Robot();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        ScenarioRun.runAndExit("DialogScenario", out,
                facts -> new DialogScenario(facts, out).run(Integer.parseInt(args[0]), Path.of(args[2])));
    }

    private void run(int port, Path readme) throws Exception {
        new ImageJ();
        Dialogs.closeErrorMessages(facts);
        IJ.run("Server Settings...", "host=127.0.0.1 port=" + port + " token=[] timeout=300");
        ImagePlus imp = new ImagePlus("cells", squareOnGradient(160, 120));
        imp.show();
        IJ.wait(1000);
        controlNetThroughItsDialog(imp);
        aWrongValueKeepsTheDialogOpen();
        aDialogsValuesStayOutOfMacros(imp, readme);
        serverSettingsMaskTheToken();
        readmeMacroLines(readme, port);
    }

    /** ControlNet from Image: the models offered, Preview Edges twice, then OK. */
    private void controlNetThroughItsDialog(ImagePlus imp) throws Exception {
        Rectangle canvas = canvasOnScreen(imp);
        BufferedImage before = robot.createScreenCapture(canvas);
        IJ.doCommand("ControlNet from Image...");
        GenericDialog dialog = awaitDialog("ControlNet from Image...");
        facts.setProperty("controlnet.models", String.join(",", items((Choice) dialog.getChoices().get(0))));
        facts.setProperty("controlnet.besideImage",
                Boolean.toString(!dialog.getBounds().intersects(imp.getWindow().getBounds())));
        facts.setProperty("controlnet.bounds", dialog.getBounds() + " beside " + imp.getWindow().getBounds());
        // The tallest dialog: its OK button on the screen (1280 × 1024 here), once it has settled.
        IJ.wait(500);
        facts.setProperty("controlnet.onScreen", Boolean.toString(
                dialog.getGraphicsConfiguration().getBounds().contains(dialog.getBounds())));
        List<TextField> numbers = fields(dialog.getNumericFields());
        // Numeric fields: steps, guidance, seed, images, preview every, low, high, scale.
        type(numbers.get(5), "20");
        type(numbers.get(6), "40");
        press(button(dialog, "Preview Edges"));
        await(() -> layerNames(imp).contains("[fijigen] edges 20–40"), "the first edge layer");
        type(numbers.get(5), "100");
        type(numbers.get(6), "200");
        press(button(dialog, "Preview Edges"));
        await(() -> layerNames(imp).contains("[fijigen] edges 100–200"), "the second edge layer");
        imp.updateAndDraw();
        IJ.wait(1000);
        facts.setProperty("edges.layers", String.join(",", layerNames(imp)));
        BufferedImage after = robot.createScreenCapture(canvas);
        ImageIO.write(after, "png", out.resolve("edges.png").toFile());
        facts.setProperty("edges.unchangedFraction", Double.toString(unchangedFraction(before, after)));
        screenshot(dialog, "controlnet-dialog.png");

        textAreas(dialog).get(0).setText("a square cell");
        type(numbers.get(0), "2");
        type(numbers.get(2), "11");
        int images = WindowManager.getImageCount();
        press(dialog.getButtons()[0]);
        await(() -> WindowManager.getImageCount() > images, "the ControlNet result");
        ImagePlus result = WindowManager.getImage(WindowManager.getIDList()[images]);
        facts.setProperty("controlnet.result", result.getTitle() + " " + result.getWidth() + "x" + result.getHeight());
    }

    /** Generate...: wrong values disable OK and say why; a click on OK then leaves the dialog as typed. */
    private void aWrongValueKeepsTheDialogOpen() throws Exception {
        IJ.doCommand("Generate...");
        GenericDialog dialog = awaitDialog("Generate...");
        List<TextField> numbers = fields(dialog.getNumericFields());
        textAreas(dialog).get(0).setText("a typed prompt");
        type(numbers.get(0), "abc");
        facts.setProperty("generate.defaults", components(dialog, Label.class).stream().map(Label::getText)
                .filter(text -> text.startsWith("model defaults")).findFirst().orElse("none"));
        facts.setProperty("invalid.steps.ok", Boolean.toString(dialog.getButtons()[0].isEnabled()));
        facts.setProperty("invalid.steps.message", ((Label) dialog.getMessage()).getText());
        type(numbers.get(0), "4");
        type(numbers.get(3), "99");
        facts.setProperty("invalid.images.ok", Boolean.toString(dialog.getButtons()[0].isEnabled()));
        facts.setProperty("invalid.images.message", ((Label) dialog.getMessage()).getText());
        screenshot(dialog, "generate-dialog-invalid.png");
        Clicks.click(robot, dialog.getButtons()[0]);
        IJ.wait(1000);
        facts.setProperty("invalid.stillOpen", Boolean.toString(dialog.isShowing()));
        facts.setProperty("invalid.kept", textAreas(dialog).get(0).getText() + "|" + numbers.get(0).getText() + "|"
                + numbers.get(3).getText());
        type(numbers.get(3), "1");
        facts.setProperty("valid.ok", Boolean.toString(dialog.getButtons()[0].isEnabled()));
        press(dialog.getButtons()[1]);
        await(() -> !dialog.isShowing(), "the cancelled dialog to close");
    }

    /**
     * Inpaint Selection: a run from the dialog with a negative prompt and guidance 3; the dialog
     * reopens with them; changed again and cancelled; then the README's macro line, whose result
     * must record the macro's values and the defaults, not the dialog's.
     */
    private void aDialogsValuesStayOutOfMacros(ImagePlus imp, Path readme) throws Exception {
        WindowManager.setCurrentWindow(imp.getWindow());
        Roi selection = new OvalRoi(40, 30, 48, 40);
        imp.setRoi(selection);
        IJ.doCommand("Inpaint Selection...");
        GenericDialog dialog = awaitDialog("Inpaint Selection...");
        screenshot(dialog, "inpaint-dialog.png");
        List<TextField> numbers = fields(dialog.getNumericFields());
        textAreas(dialog).get(0).setText("a round cell");
        textAreas(dialog).get(1).setText("blurry");
        type(numbers.get(0), "2");
        type(numbers.get(1), "3");
        int layers = layerNames(imp).size();
        press(dialog.getButtons()[0]);
        await(() -> layerNames(imp).size() > layers, "the dialog's inpainting layer");
        facts.setProperty("dialog.parameters", newestParameters(imp));

        imp.setRoi(selection);
        IJ.doCommand("Inpaint Selection...");
        GenericDialog again = awaitDialog("Inpaint Selection...");
        facts.setProperty("reopened", textAreas(again).get(1).getText() + "|" + fields(again.getNumericFields()).get(1)
                .getText());
        textAreas(again).get(1).setText("grainy");
        type(fields(again.getNumericFields()).get(1), "12");
        press(again.getButtons()[1]);
        await(() -> !again.isShowing(), "the cancelled dialog to close");

        String line = readmeLines(readme, MACROS).stream().filter(l -> l.startsWith("run(\"Inpaint Selection...\""))
                .findFirst().orElseThrow();
        facts.setProperty("macro.line", line);
        imp.setRoi(selection);
        int before = layerNames(imp).size();
        IJ.runMacro("selectImage(" + imp.getID() + ");\n" + line);
        facts.setProperty("macro.layers", Integer.toString(layerNames(imp).size() - before));
        facts.setProperty("macro.parameters", newestParameters(imp));
    }

    private void serverSettingsMaskTheToken() throws Exception {
        IJ.doCommand("Server Settings...");
        GenericDialog dialog = awaitDialog("Server Settings...");
        TextField token = fields(dialog.getStringFields()).get(1);
        facts.setProperty("settings.echoChar", Character.toString(token.getEchoChar()));
        facts.setProperty("settings.checkboxes", Integer.toString(dialog.getCheckboxes().size()));
        screenshot(dialog, "settings-dialog.png");
        press(dialog.getButtons()[1]);
        await(() -> !dialog.isShowing(), "the cancelled dialog to close");
    }

    /** The README's macro block as written (the port is the test engine's), line by line. */
    private void readmeMacroLines(Path readme, int port) throws Exception {
        List<String> lines = readmeLines(readme, MACROS);
        facts.setProperty("readme.lines", Integer.toString(lines.size()));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replace("port=7860", "port=" + port);
            long start = System.nanoTime();
            ImagePlus before = WindowManager.getCurrentImage();
            IJ.runMacro(line);
            if (line.startsWith("run(\"Expand Canvas...\"")) {
                expanded(before, WindowManager.getCurrentImage());
            }
            facts.setProperty("readme." + i, lines.get(i) + " → " + String.valueOf(WindowManager.getCurrentImage())
                    + String.format(" (%.1f s)", (System.nanoTime() - start) / 1e9));
        }
    }

    /**
     * Expand Canvas's result from the README's line (32, 0, 16, 8 on a 128×96 image, the default
     * overlap 8 and blur 4): its size, its selection, and the original's pixels farther than 12 from a
     * side that grows that differ from the source's (none should).
     */
    private void expanded(ImagePlus source, ImagePlus result) {
        facts.setProperty("expand.size", result.getWidth() + "x" + result.getHeight());
        facts.setProperty("expand.title", result.getTitle());
        Roi border = result.getRoi();
        facts.setProperty("expand.selection", border == null ? "none"
                : border.getTypeAsString() + " " + border.getStatistics().pixelCount);
        int differing = 0;
        for (int y = 0; y < source.getHeight() - 12; y++) {
            for (int x = 12; x < source.getWidth() - 12; x++) {
                differing += (source.getProcessor().get(x, y) & 0xffffff)
                        != (result.getProcessor().get(x + 32, y) & 0xffffff) ? 1 : 0;
            }
        }
        facts.setProperty("expand.differing", Integer.toString(differing));
    }

    /** The lines of the README's code block that follows the line starting with {@code heading}. */
    static List<String> readmeLines(Path readme, String heading) throws Exception {
        List<String> all = Files.readAllLines(readme);
        int start = 0;
        while (!all.get(start).startsWith(heading)) {
            start++;
        }
        while (!all.get(start).startsWith("```")) {
            start++;
        }
        List<String> lines = new ArrayList<>();
        for (int i = start + 1; !all.get(i).startsWith("```"); i++) {
            lines.add(all.get(i));
        }
        return lines;
    }

    private static List<String> layerNames(ImagePlus imp) {
        return ImageFacts.fijigenLayers(imp).stream().map(Roi::getName).toList();
    }

    private static String newestParameters(ImagePlus imp) {
        Roi[] rois = imp.getOverlay().toArray();
        return String.valueOf(rois[rois.length - 1].getProperty("fijigen.parameters"));
    }

    private static Rectangle canvasOnScreen(ImagePlus imp) {
        Point origin = imp.getCanvas().getLocationOnScreen();
        return new Rectangle(origin.x, origin.y, imp.getCanvas().getWidth(), imp.getCanvas().getHeight());
    }

    private void screenshot(Window window, String name) throws Exception {
        ImageIO.write(robot.createScreenCapture(window.getBounds()), "png", out.resolve(name).toFile());
    }

    private static double unchangedFraction(BufferedImage before, BufferedImage after) {
        int same = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                same += before.getRGB(x, y) == after.getRGB(x, y) ? 1 : 0;
            }
        }
        return same / (double) (before.getWidth() * before.getHeight());
    }

    /** A colour gradient with a bright square on it: Canny finds the square's outline. */
    static ColorProcessor squareOnGradient(int width, int height) {
        ColorProcessor ip = InpaintScenario.gradient(width, height);
        ip.setColor(0xf0f0f0);
        ip.setRoi(50, 40, 60, 40);
        ip.fill();
        ip.resetRoi();
        return ip;
    }
}
