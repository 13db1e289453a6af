package io.fijigen.plugin.scijava;

import static org.assertj.core.api.Assertions.assertThat;

import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import ij.IJ;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ShortProcessor;
import io.fijigen.plugin.LoopbackServerTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.codehaus.groovy.runtime.MethodClosure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * The README's Groovy script, as written (the engine's port and the files' folder aside), run as
 * Fiji's script editor runs it: its {@code #@ CommandService command} parameter is the context's.
 */
class ReadmeScriptTest extends LoopbackServerTestBase {

    @Test
    void theReadmesGroovyScriptUpscalesEverySliceOfA16BitStack(@TempDir Path folder) throws Exception {
        ImageStack stack = new ImageStack(16, 12);
        for (int z = 0; z < 3; z++) {
            ShortProcessor slice = new ShortProcessor(16, 12);
            for (int i = 0; i < 16 * 12; i++) {
                slice.set(i, 1000 + 200 * z + i * 7 % 300);
            }
            stack.addSlice(slice);
        }
        ImagePlus cells = new ImagePlus("cells", stack);
        Calibration calibration = cells.getCalibration();
        calibration.pixelWidth = 0.4;
        calibration.pixelHeight = 0.4;
        calibration.setUnit("µm");
        IJ.saveAsTiff(cells, folder.resolve("cells.tif").toString());
        assertThat(IJ.openImage(folder.resolve("cells.tif").toString())).as("the script's input").isNotNull();
        // ImageJ's saveAsTiff of no image ends the JVM (IJ.getImage without an ImageJ): fail instead.
        String script = groovyBlock(Path.of("../README.md"))
                .replace("module.getOutput(\"result\")", "resultOf(module)")
                .replace("\"cells.tif\"", "\"" + folder.resolve("cells.tif") + "\"")
                .replace("\"cells-x4.tif\"", "\"" + folder.resolve("cells-x4.tif") + "\"")
                .replace("7860", Integer.toString(server.connection().port()));

        Context context = new Context(CommandService.class);
        try {
            Binding binding = new Binding();
            binding.setVariable("command", context.service(CommandService.class));
            binding.setVariable("resultOf", new MethodClosure(ReadmeScriptTest.class, "resultOf"));
            new GroovyShell(binding).evaluate(script);
        } finally {
            context.dispose();
        }

        ImagePlus upscaled = IJ.openImage(folder.resolve("cells-x4.tif").toString());
        assertThat(upscaled.getBitDepth()).isEqualTo(16);
        assertThat(upscaled.getStackSize()).isEqualTo(3);
        assertThat(upscaled.getWidth()).isEqualTo(64);
        assertThat(upscaled.getCalibration().pixelWidth).isEqualTo(0.1);
        // seed + index: three planes, three consecutive seeds.
        long first = Long.parseLong(upscaled.getStack().getSliceLabel(1).substring("seed ".length()));
        assertThat(upscaled.getStack().getSliceLabel(3)).isEqualTo("seed " + (first + 2));
    }

    static ImagePlus resultOf(CommandModule module) {
        assertThat(module.getOutput("result")).as("the command's result; cancelled: %s", module.getCancelReason())
                .isNotNull();
        return (ImagePlus) module.getOutput("result");
    }

    /** The README's Groovy block, its {@code #@} script parameters left to the binding. */
    private static String groovyBlock(Path readme) throws Exception {
        List<String> lines = Files.readAllLines(readme);
        int start = lines.indexOf("```groovy");
        StringBuilder script = new StringBuilder();
        for (int i = start + 1; !lines.get(i).startsWith("```"); i++) {
            if (!lines.get(i).startsWith("#@")) {
                script.append(lines.get(i)).append('\n');
            }
        }
        return script.toString();
    }
}
