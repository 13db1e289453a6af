package io.fijigen.engine.cli;

import com.google.protobuf.ByteString;
import io.fijigen.engine.image.CannyEdges;
import io.fijigen.engine.tensor.HostTensor;
import io.fijigen.proto.v1.CannyRequest;
import io.fijigen.proto.v1.CannyThresholds;
import io.fijigen.proto.v1.ControlUnit;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Tensor;
import io.fijigen.proto.v1.UpscaleRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import picocli.CommandLine.ParseResult;

/**
 * The commands' options as the engine's gRPC requests. The options mean what the proto fields
 * mean, so the mapping is one to one; model options name the server's registered models.
 */
final class ProtoRequests {
    private ProtoRequests() {}

    static GenerateRequest generate(GenerateCommand command) throws IOException {
        GenerateRequest.Builder request = GenerateRequest.newBuilder()
                .setModelId(modelId(command.modelOptions))
                .setPrompt(command.prompt)
                .setNegativePrompt(command.negativePrompt)
                .setSeed(command.seed)
                .setNumImages(command.numImages)
                .setClipSkip(command.clipSkip)
                .addAllLoras(command.loraOptions.remote())
                .setSafetyCheck(command.safetyCheck);
        // Unset, the server applies the model's own defaults (its registry entry's), not the CLI's.
        ParseResult given = command.spec.commandLine().getParseResult();
        if (given.hasMatchedOption("--steps")) {
            request.setSteps(command.steps);
        }
        if (given.hasMatchedOption("--guidance")) {
            request.setGuidance(command.guidance);
        }
        if (command.scheduler != null) {
            request.setScheduler(command.scheduler);
        }
        if (command.width != null) {
            request.setWidth(command.width);
        }
        if (command.height != null) {
            request.setHeight(command.height);
        }
        if (command.initImage != null) {
            request.setInitImage(TensorArgument.png(command.initImage)).setStrength(command.strength);
        }
        if (command.latents != null) {
            request.setLatents(tensor(TensorArgument.floats(command.latents)));
        }
        if (command.inpaint != null) {
            MaskOptions mask = command.inpaint;
            request.setMask(TensorArgument.maskPng(mask.mask))
                    .setMaskBlur(mask.blur)
                    .setMaskGrow(mask.grow)
                    .setOnlyMasked(mask.onlyMasked)
                    .setPadding(mask.padding)
                    .setPasteBack(!mask.noPasteBack);
        }
        for (ControlNetOptions unit : command.controls) {
            request.addControls(control(unit));
        }
        return request.build();
    }

    static UpscaleRequest upscale(UpscaleCommand command) throws IOException {
        UpscaleRequest.Builder request = UpscaleRequest.newBuilder()
                .setImage(TensorArgument.png(command.image))
                .setPrompt(command.prompt)
                .setNegativePrompt(command.negativePrompt)
                .setNoiseLevel(command.noiseLevel)
                .setSteps(command.steps)
                .setGuidance(command.guidance)
                .setSeed(command.seed)
                .setTile(command.tile)
                .setTileOverlap(command.tileOverlap)
                .setFactor(command.factor);
        // No --model: Lanczos resampling alone, on the server as here.
        if (command.modelOptions.given()) {
            request.setModelId(command.modelOptions.model.toString());
        }
        if (command.scheduler != null) {
            request.setScheduler(command.scheduler);
        }
        if (command.latents != null) {
            request.setLatents(tensor(TensorArgument.floats(command.latents)));
        }
        return request.build();
    }

    static CannyRequest canny(CannyCommand command) throws IOException {
        return CannyRequest.newBuilder()
                .setImage(ByteString.copyFrom(Files.readAllBytes(command.image)))
                .setLow(command.low)
                .setHigh(command.high)
                .build();
    }

    private static String modelId(ModelOptions options) {
        if (!options.given()) {
            throw new IllegalArgumentException("--model is required: with --server, a model id the server registers");
        }
        if (options.predictionType != null) {
            throw new IllegalArgumentException("--prediction-type is for a checkpoint loaded here; with --server the"
                    + " registry entry's prediction_type says it");
        }
        return options.model.toString();
    }

    /**
     * A unit whose control image is given and edge-detected goes as its edge map: the request can
     * only ask the server for the Canny edges of the init image.
     */
    private static ControlUnit control(ControlNetOptions unit) throws IOException {
        ControlUnit.Builder control = ControlUnit.newBuilder()
                .setModelId(unit.model.toString())
                .setScale(unit.scale)
                .setGuessMode(unit.guessMode)
                .setStart(unit.start)
                .setEnd(unit.end);
        if (unit.canny != null && unit.canny.length != 2) {
            throw new IllegalArgumentException("--canny takes LOW,HIGH (two thresholds), got " + unit.canny.length
                    + " values");
        }
        if (unit.image == null) {
            if (unit.canny != null) {
                control.setCannyFromInit(CannyThresholds.newBuilder().setLow(unit.canny[0]).setHigh(unit.canny[1]));
            }
        } else if (unit.canny == null) {
            control.setImage(TensorArgument.png(unit.image));
        } else {
            HostTensor edges = CannyEdges.controlImage(TensorArgument.image(unit.image), unit.canny[0], unit.canny[1]);
            control.setImage(TensorArgument.png(edges));
        }
        return control.build();
    }

    /** A float tensor as the proto's float32 little-endian bytes. */
    private static Tensor tensor(HostTensor values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values.data());
        Tensor.Builder tensor = Tensor.newBuilder().setData(ByteString.copyFrom(bytes.array()));
        for (long dim : values.shape()) {
            tensor.addShape(dim);
        }
        return tensor.build();
    }
}
