package io.fijigen.engine.cli;

import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.image.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fijigen canny IMG}: the edge map a canny ControlNet is conditioned on, as a PNG to look at. */
@Command(name = "canny", mixinStandardHelpOptions = true, defaultValueProvider = OptionDefaults.class,
        description = "Write the Canny edge map of an image (as cv2.Canny, the ControlNet canny annotator): "
                + "a grey PNG, 255 on edges, 0 elsewhere.")
final class CannyCommand implements Callable<Integer> {
    @Parameters(paramLabel = "IMG", description = "a PNG, TIFF or JPEG image (8-bit grey or colour)")
    Path image;

    @Option(names = "--low", paramLabel = "L", description = "lower gradient threshold (default ${DEFAULT-VALUE})")
    double low;

    @Option(names = "--high", paramLabel = "H", description = "upper gradient threshold (default ${DEFAULT-VALUE})")
    double high;

    @Option(names = "--out", required = true, paramLabel = "PNG", description = "the edge map to write")
    Path out;

    @Mixin
    RemoteOptions remoteOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ResultFiles.requireFolder("--out", out);
        BufferedImage edges;
        if (remoteOptions.given()) {
            try (RemoteEngine engine = remoteOptions.connect(spec.commandLine().getErr())) {
                byte[] png = engine.canny(ProtoRequests.canny(this)).getPng().toByteArray();
                Files.write(out, png);
                edges = ImageFiles.decode(png, "the server's edge map", ImageFiles.MAX_SIDE);
            }
        } else {
            edges = CannyEdges.edges(ImageFiles.read(image, ImageFiles.MAX_SIDE), low, high);
            ImageFiles.writePng(edges, out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf("wrote %s (%d×%d, %d edge pixels)%n", out, edges.getWidth(), edges.getHeight(),
                CannyEdges.count(edges));
        stdout.flush();
        return 0;
    }
}
