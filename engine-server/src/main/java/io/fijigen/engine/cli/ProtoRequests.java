package io.fijigen.engine.cli;

import com.google.protobuf.ByteString;
import io.fijigen.engine.image.BorderFill;
import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.image.ImageFiles;
import io.fijigen.engine.pipeline.FieldRange;
import io.fijigen.engine.pipeline.InvalidRequestException;
import io.fijigen.engine.pipeline.RequestField;
import io.fijigen.engine.server.WireTensors;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.CannyThresholds;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Lora;
import io.fijigen.proto.v1.Outpaint;
import io.fijigen.proto.v1.OutpaintFill;
import io.fijigen.proto.v1.Refine;
import io.fijigen.proto.v1.Region;
import io.fijigen.proto.v1.UpscaleRequest;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.ParseResult;

/**
 * The commands' options as the engine's requests, for a local run and a server alike: the options
 * mean what the proto fields mean, so the mapping is one to one. Image files go as PNG bytes,
 * {@code FILE.safetensors#NAME} tensors as values. What the user left unset stays unset, so the
 * engine applies its defaults (a server's registry entry's first): one set of defaults, the
 * engine's.
 */
final class ProtoRequests {
    private ProtoRequests() {}

    static GenerateRequest generate(GenerateCommand command, ModelIds ids) throws IOException {
        GenerateRequest.Builder request = GenerateRequest.newBuilder()
                .setModelId(ids.of(command.modelOptions.model.toString()))
                .setPrompt(command.prompt)
                .setSeed(command.sampling.seed)
                .setNumImages(nonZero(RequestField.NUM_IMAGES, "num_images", command.numImages))
                .setClipSkip(nonZero(RequestField.CLIP_SKIP, "clip_skip", command.clipSkip))
                .setSafetyCheck(command.safetyCheck || command.safetyChecker != null)
                .setFloatOutput(command.outTensor != null);
        for (String value : command.loraOptions.loras) {
            LoraOptions.Argument lora = LoraOptions.Argument.parse(value);
            request.addLoras(Lora.newBuilder().setId(ids.of(lora.source())).setWeight(lora.weight()));
        }
        for (Path embedding : command.embeddings) {
            request.addEmbeddings(ids.of(embedding.toString()));
        }
        if (command.sampling.negativePrompt != null) {
            request.setNegativePrompt(command.sampling.negativePrompt);
        }
        command.microConditioning.addTo(request);
        ParseResult given = command.spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--steps")) {
            request.setSteps(nonZero(RequestField.STEPS, "steps", command.sampling.steps));
        }
        if (given.hasMatchedOption("--guidance")) {
            request.setGuidance(command.sampling.guidance);
        }
        command.sampling.addScheduler(request::setScheduler, request::setTimestepSpacing, request::setEta);
        if (command.width != null) {
            request.setWidth(nonZero(RequestField.SIDE, "width", command.width));
        }
        if (command.height != null) {
            request.setHeight(nonZero(RequestField.SIDE, "height", command.height));
        }
        if (command.initImage != null) {
            if (TensorArgument.isTensorReference(command.initImage)) {
                request.setInitTensor(WireTensors.of(TensorArgument.image(command.initImage)));
            } else {
                request.setInitImage(fileBytes(command.initImage));
            }
        }
        // Unset, img2img and inpainting differ (0.8 and 1.0, as diffusers' pipelines): the engine decides.
        if (given.hasMatchedOption("--strength")) {
            request.setStrength(command.strength);
        }
        if (command.sampling.latents != null) {
            request.setLatents(WireTensors.of(TensorArgument.floats(command.sampling.latents)));
        }
        if (command.outpaint != null) {
            request.setOutpaint(outpaint(command.outpaint));
        }
        if (command.inpaint != null) {
            MaskOptions mask = command.inpaint;
            if (mask.mask != null) {
                if (TensorArgument.isTensorReference(mask.mask)) {
                    request.setMaskTensor(WireTensors.of(TensorArgument.mask(mask.mask)));
                } else {
                    request.setMask(fileBytes(mask.mask));
                }
            } else if (command.outpaint == null) {
                throw new IllegalArgumentException("--mask-blur, --mask-grow, --only-masked, --padding and"
                        + " --no-paste-back need --mask (inpainting) or --outpaint");
            }
            request.setMaskBlur(mask.blur)
                    .setMaskGrow(mask.grow)
                    .setOnlyMasked(mask.onlyMasked)
                    .setPadding(mask.padding)
                    .setPasteBack(!mask.noPasteBack);
        }
        for (ControlNetOptions unit : command.controls) {
            request.addControls(control(unit, command, ids));
        }
        if (command.hires != null) {
            request.setHires(command.hires.toProto(ids));
        }
        for (String value : command.regionOptions.regions) {
            RegionOptions.Argument region = RegionOptions.Argument.parse(value);
            Region.Builder wire = Region.newBuilder().setMask(fileBytes(region.mask())).setPrompt(region.prompt());
            if (region.weight() != null) {
                wire.setWeight(region.weight());
            }
            request.addRegions(wire);
        }
        return request.build();
    }

    /** The sides as given (the engine checks them), the fill by its name (the CLI's and the README's). */
    private static Outpaint outpaint(OutpaintOptions options) {
        int[] sides = options.sides();
        Outpaint.Builder outpaint = Outpaint.newBuilder()
                .setLeft(sides[0])
                .setTop(sides[1])
                .setRight(sides[2])
                .setBottom(sides[3])
                .setOverlap(options.overlap);
        if (options.fill != null) {
            outpaint.setFill(OutpaintFill.valueOf("OUTPAINT_FILL_" + BorderFill.fromId(options.fill).name()));
        }
        return outpaint.build();
    }

    static UpscaleRequest upscale(UpscaleCommand command, ModelIds ids) throws IOException {
        UpscaleRequest.Builder request = UpscaleRequest.newBuilder()
                .setPrompt(command.prompt)
                .setNoiseLevel(command.noiseLevel)
                .setSeed(command.sampling.seed)
                .setTile(nonZero(RequestField.TILE, "tile", command.tile))
                .setTileOverlap(command.tileOverlap)
                .setFactor(command.factor == 0 ? RequestField.FACTOR.check("factor", 0.0) : command.factor)
                .setFloatOutput(command.output.tensor != null);
        if (TensorArgument.isTensorReference(command.image)) {
            request.setImageTensor(WireTensors.of(TensorArgument.image(command.image)));
        } else {
            request.setImage(fileBytes(command.image));
        }
        if (command.sampling.negativePrompt != null) {
            request.setNegativePrompt(command.sampling.negativePrompt);
        }
        ParseResult given = command.spec.commandLine().getParseResult();
        if (command.refine != null) {
            return refine(command, request, given, ids);
        }
        // No --model: Lanczos resampling alone, on a server as here.
        if (command.modelOptions.given()) {
            request.setModelId(ids.of(command.modelOptions.model.toString()));
        }
        if (given.hasMatchedOption("--steps")) {
            request.setSteps(nonZero(RequestField.UPSCALE_STEPS, "steps", command.sampling.steps));
        }
        if (given.hasMatchedOption("--guidance")) {
            request.setGuidance(command.sampling.guidance);
        }
        command.sampling.addScheduler(request::setScheduler, request::setTimestepSpacing, request::setEta);
        if (command.sampling.latents != null) {
            request.setLatents(WireTensors.of(TensorArgument.floats(command.sampling.latents)));
        }
        return request.build();
    }

    /**
     * Refine Upscale: --model repaints the tiles, an --upscaler enlarges first; the tiling and sampling
     * options given are the tiles', those not given the model's defaults.
     */
    private static UpscaleRequest refine(UpscaleCommand command, UpscaleRequest.Builder request, ParseResult given,
            ModelIds ids) {
        if (!command.modelOptions.given()) {
            throw new IllegalArgumentException("--refine needs --model: the Stable Diffusion model that repaints"
                    + " the tiles");
        }
        command.refine.upscaler().ifPresent(x4 -> request.setModelId(ids.of(x4.toString())));
        Refine.Builder refine = command.refine.toProto(ids.of(command.modelOptions.model.toString()), ids);
        if (given.hasMatchedOption("--tile")) {
            refine.setTile(nonZero(RequestField.REFINE_TILE, "refine.tile", command.tile));
        }
        if (given.hasMatchedOption("--tile-overlap")) {
            refine.setTileOverlap(command.tileOverlap);
        }
        if (given.hasMatchedOption("--steps")) {
            refine.setSteps(nonZero(RequestField.STEPS, "refine.steps", command.sampling.steps));
        }
        if (given.hasMatchedOption("--guidance")) {
            refine.setGuidance(command.sampling.guidance);
        }
        command.sampling.addScheduler(refine::setScheduler, refine::setTimestepSpacing, refine::setEta);
        return request.setRefine(refine).build();
    }

    /**
     * A value for a field whose 0 the engine reads as "the default": a 0 the user typed is refused,
     * as the engine refuses any value outside the field's range, instead of quietly meaning the default.
     */
    private static int nonZero(RequestField field, String name, int value) {
        if (value == 0) {
            if (field.range() == null) {
                throw new InvalidRequestException(name, name + ": 0 is below 1");
            }
            field.check(name, 0);
        }
        return value;
    }

    static CannyRequest canny(CannyCommand command) throws IOException {
        return CannyRequest.newBuilder()
                .setImage(ByteString.copyFrom(ImageFiles.pngBytes(command.image)))
                .setLow(command.low)
                .setHigh(command.high)
                .build();
    }

    /**
     * The option behind a request field the engine refused, for an error message that names the file
     * the user gave ({@code --init-image broken.png}); null for fields that name no file.
     */
    static String argumentOf(GenerateCommand command, String field) {
        if (field.equals("init_image") || field.equals("init_tensor")) {
            return "--init-image " + command.initImage;
        }
        if (field.equals("mask") || field.equals("mask_tensor")) {
            return "--mask " + command.inpaint.mask;
        }
        if (field.equals("latents")) {
            return "--latents " + command.sampling.latents;
        }
        if (field.matches("regions\\[\\d+]\\..*")) {
            return "--region " + command.regionOptions.regions.get(Integer.parseInt(field.replaceAll("\\D", "")));
        }
        if (field.matches("controls\\[\\d+]\\.(image|tensor)")) {
            ControlNetOptions unit = command.controls.get(Integer.parseInt(field.replaceAll("\\D", "")));
            if (unit.roi != null) {
                return "--control-roi " + unit.roi;
            }
            if (unit.labels != null) {
                return "--control-labels " + unit.labels;
            }
            return unit.image == null ? null : "--control-image " + unit.image;
        }
        return null;
    }

    /** The engine's refusal, naming the option and file behind the field where there is one. */
    static RuntimeException refused(String argument, InvalidRequestException refusal) {
        if (argument == null) {
            return refusal;
        }
        String prefix = refusal.field() + ": ";
        String message = refusal.getMessage();
        return new IllegalArgumentException(argument + ": "
                + (message.startsWith(prefix) ? message.substring(prefix.length()) : message), refusal);
    }

    /** As {@link #argumentOf(GenerateCommand, String)}, for {@code upscale}. */
    static String argumentOf(UpscaleCommand command, String field) {
        return switch (field) {
            case "image", "image_tensor" -> "--image " + command.image;
            case "latents" -> "--latents " + command.sampling.latents;
            case "refine.strength" -> "--strength " + FieldRange.number(command.refine.strength);
            case "refine.tile" -> "--tile " + command.tile;
            case "refine.tile_overlap" -> "--tile-overlap " + command.tileOverlap;
            case "refine.steps" -> "--steps " + command.sampling.steps;
            case "refine.timestep_spacing" -> "--timestep-spacing " + command.sampling.timestepSpacing;
            case "refine.eta" -> "--eta " + FieldRange.number(command.sampling.eta);
            case "refine.model_id" -> "--model " + command.modelOptions.model;
            case "refine.controlnet_id" -> "--controlnet " + command.refine.controlNet;
            default -> null;
        };
    }

    /**
     * A unit whose control image is given and edge-detected goes as its edge map (exactly, 0 or 1):
     * the request can only ask for the Canny edges of the init image.
     */
    private static ControlUnit control(ControlNetOptions unit, GenerateCommand command, ModelIds ids)
            throws IOException {
        ControlUnit.Builder control = ControlUnit.newBuilder()
                .setModelId(ids.of(unit.model.toString()))
                .setScale(unit.scale)
                .setGuessMode(unit.guessMode)
                .setStart(unit.start)
                .setEnd(unit.end);
        if (unit.canny != null && unit.canny.length != 2) {
            throw new IllegalArgumentException("--canny takes LOW,HIGH (two thresholds), got " + unit.canny.length
                    + " values");
        }
        int sources = (unit.image == null ? 0 : 1) + (unit.roi == null ? 0 : 1) + (unit.labels == null ? 0 : 1);
        if (sources > 1) {
            throw new IllegalArgumentException("a unit takes one of --control-image, --control-roi and --control-labels"
                    + " (start another unit with --controlnet for another)");
        }
        if (unit.canny != null && sources == 1 && unit.image == null) {
            throw new IllegalArgumentException("--canny finds the edges of --control-image or the init image, not of"
                    + " --control-roi or --control-labels");
        }
        if (unit.roi != null) {
            int[] size = canvas(command);
            control.setImage(RenderedControls.scribble(unit.roi, size[0], size[1], unit.lineWidth));
        } else if (unit.labels != null) {
            control.setImage(RenderedControls.labels(unit.labels, unit.palette));
        } else if (unit.image == null) {
            if (unit.canny != null) {
                control.setCannyFromInit(CannyThresholds.newBuilder().setLow(unit.canny[0]).setHigh(unit.canny[1]));
            }
        } else if (unit.canny != null) {
            HostTensor edges = CannyEdges.controlImage(TensorArgument.image(unit.image), unit.canny[0], unit.canny[1]);
            control.setImage(TensorArgument.png(edges));
        } else if (TensorArgument.isTensorReference(unit.image)) {
            control.setTensor(WireTensors.of(TensorArgument.image(unit.image)));
        } else {
            control.setImage(fileBytes(unit.image));
        }
        return control.build();
    }

    /** What lines from ROIs are drawn on: the generation size, --width and --height or the init image's. */
    private static int[] canvas(GenerateCommand command) throws IOException {
        if (command.width != null && command.height != null) {
            return new int[] {command.width, command.height};
        }
        if (command.initImage != null) {
            HostTensor init = TensorArgument.image(command.initImage);
            return new int[] {(int) init.dim(3), (int) init.dim(2)};
        }
        throw new IllegalArgumentException("--control-roi needs the image size: give --width and --height, or"
                + " --init-image");
    }

    /** An image file as the PNG the API takes (other formats converted here, the server taking PNG only). */
    private static ByteString fileBytes(String file) throws IOException {
        return ByteString.copyFrom(ImageFiles.pngBytes(Path.of(file)));
    }
}
