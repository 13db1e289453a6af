package io.fijigen.plugin.window;

import static io.fijigen.plugin.window.CalibratedStacks.hyperstack16;
import static io.fijigen.plugin.window.CalibratedStacks.stack16;
import static io.fijigen.plugin.window.Dialogs.await;
import static io.fijigen.plugin.window.Dialogs.awaitDialog;
import static io.fijigen.plugin.window.Dialogs.checkbox;
import static io.fijigen.plugin.window.Dialogs.choiceOffering;
import static io.fijigen.plugin.window.Dialogs.choose;
import static io.fijigen.plugin.window.Dialogs.fields;
import static io.fijigen.plugin.window.Dialogs.press;
import static io.fijigen.plugin.window.Dialogs.textAreas;
import static io.fijigen.plugin.window.Dialogs.tick;
import static io.fijigen.plugin.window.Dialogs.type;
import static io.fijigen.plugin.window.ImageFacts.describe;
import static io.fijigen.plugin.window.ImageFacts.labels;
import static io.fijigen.plugin.window.ImageFacts.layers;
import static io.fijigen.plugin.window.ImageFacts.samePixels;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.gui.ImageWindow;
import ij.plugin.frame.Recorder;
import java.awt.EventQueue;
import java.awt.KeyboardFocusManager;
import java.awt.Point;
import java.awt.Robot;
import java.awt.TextField;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * What {@link StacksWindowIT} runs in a separate JVM on an X display: the commands over the planes of
 * a calibrated 16-bit stack and a 2-channel × 3-frame hyperstack in a real ImageJ (only {@code
 * ij.jar} on its class path, the shaded plugin in its plugins folder), as macros and a user run them:
 * all slices, a range, Esc pressed on the keyboard during plane 2, the macro recorder's line for a
 * dialog's stack options replayed, then the README's stack macro lines. Uses ImageJ's and AWT's API
 * only, never the plugin's classes.
 *
 * <p>Arguments: the engine's port, a folder for the screenshots and {@code scenario.properties},
 * the README.
 */
public final class StacksScenario {
    /** The README's section whose macro block the scenario runs. */
    static final String README_SECTION = "### Stacks and hyperstacks";
    /**
     * The steps of the job Esc cancels, pressed at plane 2's second step: plane 2 still runs at the key
     * on an idle 2-core CPU (measured: 60 steps in 2.5 s) and still ends soon on a loaded one (300
     * steps in 173 s: plane 1 of 60 steps then takes 35 s).
     */
    static final int LONG_JOB_STEPS = 60;
    private static final String CONTROLNET =
            "prompt=[a cell] model=tiny-sd15 controlnet=tiny-controlnet-canny steps=2 ";
    private static final Pattern PLANE_TWO_STEP = Pattern.compile("Generate: plane 2 of 3, step (\\d+)/\\d+ .*");

    private final Properties facts;
    private final Path out;
    private final Robot robot;

    private StacksScenario(Properties facts, Path out) throws Exception {
        this.facts = facts;
        this.out = out;
        this.robot = new Robot();
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]);
        ScenarioRun.runAndExit("StacksScenario", out,
                facts -> new StacksScenario(facts, out).run(Integer.parseInt(args[0]), Path.of(args[2])));
    }

    /** A part of the scenario, timed. */
    @FunctionalInterface
    private interface Part {
        void run() throws Exception;
    }

    private void run(int port, Path readme) throws Exception {
        new ImageJ();
        Dialogs.closeErrorMessages(facts);
        IJ.run("Server Settings...", "host=127.0.0.1 port=" + port + " token=[] timeout=300");
        ImagePlus stack = stack16("cells z");
        ImagePlus hyperstack = hyperstack16("cells ct");
        stack.show();
        hyperstack.show();
        IJ.wait(1000);
        timed("allSlices", () -> allSlicesOfAStack(stack));
        timed("range", () -> aRangeOfAHyperstack(hyperstack));
        timed("recorder", () -> theRecorderRecordsTheStackOptions(stack, hyperstack));
        timed("readme", () -> readmeStackLines(readme));
        timed("esc", this::escDuringPlaneTwo);
    }

    private void timed(String name, Part part) throws Exception {
        long start = System.nanoTime();
        part.run();
        facts.setProperty(name + ".seconds", String.format("%.1f", (System.nanoTime() - start) / 1e9));
    }

    /** ControlNet into a new stack, img2img into a layer per slice, both over all slices. */
    private void allSlicesOfAStack(ImagePlus stack) throws Exception {
        ImagePlus result = newImages(1, () -> IJ.run(stack, "ControlNet from Image...",
                CONTROLNET + "seed=20 process=[all slices] seeds=[seed + index]")).get(0);
        describe(facts, "allSlices.controlnet", result);
        screenshot(result.getWindow(), "all-slices-controlnet.png");
        IJ.run(stack, "Generate...", "prompt=[a cell] model=tiny-sd15 steps=2 seed=40 from process=[all slices]");
        facts.setProperty("allSlices.img2img.layers", layers(stack));
        facts.setProperty("allSlices.img2img.images", Integer.toString(WindowManager.getImageCount()));
        screenshot(stack.getWindow(), "all-slices-img2img.png");
    }

    /** Frames 2-3 of both channels, each channel as grey; then the same frames as the RGB rendering. */
    private void aRangeOfAHyperstack(ImagePlus hyperstack) throws Exception {
        ImagePlus grey = newImages(1, () -> IJ.run(hyperstack, "ControlNet from Image...", CONTROLNET
                + "seed=11 composite=[channel as grey] process=range frames=2-3 seeds=[seed + index]")).get(0);
        describe(facts, "range.grey", grey);
        screenshot(grey.getWindow(), "range-channels-as-grey.png");
        ImagePlus rgb = newImages(1, () -> IJ.run(hyperstack, "ControlNet from Image...",
                CONTROLNET + "seed=11 composite=[RGB rendering] process=range frames=2-3")).get(0);
        describe(facts, "range.rgb", rgb);
    }

    /**
     * With the macro recorder open, ControlNet's dialog on the hyperstack (Process range, frames 2-3,
     * seed + index, percentiles, each channel as grey) and Generate's on the stack (img2img, 2 images,
     * statistics), filled and run as a user does; then each recorded line replayed on its image.
     */
    private void theRecorderRecordsTheStackOptions(ImagePlus stack, ImagePlus hyperstack) throws Exception {
        IJ.run("Record...");
        await(() -> Recorder.getInstance() != null, "the Recorder");

        activate(hyperstack);
        IJ.doCommand("ControlNet from Image...");
        GenericDialog controlNet = awaitDialog("ControlNet from Image...");
        textAreas(controlNet).get(0).setText("a recorded cell");
        List<TextField> numbers = fields(controlNet.getNumericFields());
        type(numbers.get(0), "2");
        type(numbers.get(2), "30");
        choose(choiceOffering(controlNet, "percentiles"), "percentiles");
        choose(choiceOffering(controlNet, "channel as grey"), "channel as grey");
        choose(choiceOffering(controlNet, "range"), "range");
        // String fields: channels, slices, frames.
        type(fields(controlNet.getStringFields()).get(2), "2-3");
        choose(choiceOffering(controlNet, "seed + index"), "seed + index");
        screenshot(controlNet, "controlnet-range-dialog.png");
        ImagePlus byDialog = newImages(1, () -> press(controlNet.getButtons()[0])).get(0);
        describe(facts, "recorder.controlnet.dialog", byDialog);
        String controlNetLine = recordedLine("ControlNet from Image...");

        activate(stack);
        IJ.doCommand("Generate...");
        GenericDialog generate = awaitDialog("Generate...");
        textAreas(generate).get(0).setText("a recorded variant");
        numbers = fields(generate.getNumericFields());
        type(numbers.get(0), "2");
        type(numbers.get(2), "60");
        type(numbers.get(3), "2");
        tick(checkbox(generate, "From active image"), true);
        tick(checkbox(generate, "Statistics"), true);
        List<ImagePlus> variantsByDialog = newImages(2, () -> press(generate.getButtons()[0]));
        String generateLine = recordedLine("Generate...");
        screenshot(Recorder.getInstance(), "recorder.png");
        EventQueue.invokeAndWait(() -> Recorder.getInstance().close());

        facts.setProperty("recorder.controlnet.line", controlNetLine);
        ImagePlus replayed = newImages(1, () -> IJ.runMacro("selectImage(" + hyperstack.getID() + ");\n"
                + controlNetLine)).get(0);
        describe(facts, "recorder.controlnet.replay", replayed);
        facts.setProperty("recorder.controlnet.samePixels", Boolean.toString(samePixels(byDialog, replayed)));

        facts.setProperty("recorder.generate.line", generateLine);
        List<ImagePlus> variantsReplayed = newImages(2, () -> IJ.runMacro("selectImage(" + stack.getID() + ");\n"
                + generateLine));
        for (int i = 0; i < 2; i++) {
            describe(facts, "recorder.generate.dialog." + i, variantsByDialog.get(i));
            describe(facts, "recorder.generate.replay." + i, variantsReplayed.get(i));
        }
    }

    /**
     * Makes {@code imp} the current image, as a click on its window does, for a command run from the
     * menu. A window shown just before is activated late, on the event thread: its activation must
     * come first, or the command finds that window's image.
     */
    private static void activate(ImagePlus imp) throws Exception {
        IJ.wait(500);
        IJ.selectWindow(imp.getID());
        await(() -> WindowManager.getCurrentImage() == imp, imp.getTitle() + " as the current image");
    }

    /** The line the Recorder wrote for {@code command}, once it is there. */
    private static String recordedLine(String command) throws Exception {
        String start = "run(\"" + command + "\"";
        String[] line = new String[1];
        await(() -> {
            line[0] = Arrays.stream(Recorder.getInstance().getText().split("\n")).filter(l -> l.startsWith(start))
                    .findFirst().orElse(null);
            return line[0] != null;
        }, "the Recorder's line for " + command);
        return line[0];
    }

    /** The README's stack macro block as written, line by line: what each left as the current image, and made. */
    private void readmeStackLines(Path readme) throws Exception {
        List<String> lines = DialogScenario.readmeLines(readme, README_SECTION);
        facts.setProperty("readme.lines", Integer.toString(lines.size()));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            List<ImagePlus> made = newImages(0, () -> IJ.runMacro(line));
            ImagePlus current = WindowManager.getCurrentImage();
            facts.setProperty("readme." + i, line + " → " + current + " labels " + labels(current) + " layers "
                    + layers(current) + " new " + made);
        }
    }

    /**
     * img2img over all 3 slices of a new stack, each plane long enough that Esc, pressed on the
     * keyboard over the image once plane 2 runs, finds it running: plane 1's layer stays, no more.
     */
    private void escDuringPlaneTwo() throws Exception {
        ImagePlus imp = stack16("cells esc");
        imp.show();
        IJ.wait(1000);
        EventQueue.invokeAndWait(() -> imp.getWindow().toFront());
        Point canvas = imp.getCanvas().getLocationOnScreen();
        robot.mouseMove(canvas.x + 8, canvas.y + 8);
        robot.mousePress(InputEvent.BUTTON1_DOWN_MASK);
        robot.mouseRelease(InputEvent.BUTTON1_DOWN_MASK);
        IJ.wait(500);
        Thread job = new Thread(() -> IJ.run(imp, "Generate...", "prompt=[a long job] model=tiny-sd15 steps="
                + LONG_JOB_STEPS + " seed=50 from strength=1 process=[all slices]"), "long job");
        job.start();
        String status = "";
        for (long deadline = System.nanoTime() + 120_000_000_000L; System.nanoTime() < deadline; IJ.wait(20)) {
            status = ImageJ.getStatusBarText();
            Matcher step = PLANE_TWO_STEP.matcher(status);
            if (step.matches() && Integer.parseInt(step.group(1)) >= 2 || !job.isAlive()) {
                break;
            }
        }
        facts.setProperty("esc.statusBeforeKey", status);
        Window focused = KeyboardFocusManager.getCurrentKeyboardFocusManager().getFocusedWindow();
        facts.setProperty("esc.focusedWindow", focused instanceof ImageWindow window
                ? window.getImagePlus().getTitle() : String.valueOf(focused));
        robot.keyPress(KeyEvent.VK_ESCAPE);
        robot.keyRelease(KeyEvent.VK_ESCAPE);
        job.join(60_000);
        facts.setProperty("esc.jobEnded", Boolean.toString(!job.isAlive()));
        facts.setProperty("esc.statusAfter", ImageJ.getStatusBarText());
        facts.setProperty("esc.layers", layers(imp));
        imp.updateAndDraw();
        IJ.wait(500);
        screenshot(imp.getWindow(), "esc-plane-two.png");
    }

    /** The images {@code action} opened, in the order they opened, once there are {@code count} (at least). */
    private static List<ImagePlus> newImages(int count, Part action) throws Exception {
        List<Integer> before = ids();
        action.run();
        List<ImagePlus> made = new ArrayList<>();
        await(() -> {
            made.clear();
            for (int id : ids()) {
                if (!before.contains(id)) {
                    made.add(WindowManager.getImage(id));
                }
            }
            return made.size() >= count;
        }, count + " new images");
        return made;
    }

    private static List<Integer> ids() {
        int[] ids = WindowManager.getIDList();
        return ids == null ? List.of() : Arrays.stream(ids).boxed().toList();
    }

    private void screenshot(Window window, String name) throws Exception {
        ImageIO.write(robot.createScreenCapture(window.getBounds()), "png", out.resolve(name).toFile());
    }
}
