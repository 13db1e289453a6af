package io.fijigen.engine.cli;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import io.fijigen.engine.hub.HubCache;
import io.fijigen.engine.model.SingleFileCheckpoint;
import io.fijigen.engine.runtime.TorchRuntime;
import io.fijigen.engine.server.LocalRegistry;
import io.fijigen.engine.server.ModelDevice;
import io.fijigen.engine.server.ModelDtype;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Which model to load, on which device, in which precision: shared by the commands that run one. */
final class ModelOptions {
    /** Not required by picocli: upscale runs without it; generate says so when it is missing. */
    @Option(names = "--model", paramLabel = "MODEL", description = "a diffusers model folder, a single-file checkpoint"
            + " (.safetensors in the original LDM layout) or a Hugging Face hub repo id (owner/name, from the hub cache,"
            + " downloading what it lacks unless --offline); with --server, the id of a model the server registers")
    Path model;

    @Option(names = "--prediction-type", paramLabel = "epsilon|v_prediction", description = "epsilon or v_prediction: what a single-file checkpoint"
            + " predicts, over its sidecar .yaml's parameterization (default: the yaml's, else epsilon for SD 1.x"
            + " and v_prediction for SD 2.x); not for a folder")
    String predictionType;

    @Mixin
    HubModelOptions hub;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu", description = "cpu or gpu (default ${DEFAULT-VALUE});"
            + " not with --server")
    String device;

    @Option(names = "--dtype", paramLabel = "fp32|fp16", defaultValue = "fp32", description = "fp32, or fp16 on a GPU"
            + " (default ${DEFAULT-VALUE}); not with --server")
    String dtype;

    boolean given() {
        return model != null;
    }

    /**
     * Registers the model for a local run, after checking these options: a folder or single file as
     * it is, a hub repo id from the cache (downloaded first unless offline).
     *
     * @return its id in {@code registry}
     */
    String register(LocalRegistry registry) throws IOException {
        if (model == null) {
            throw new IllegalArgumentException("--model is required: a diffusers model folder, a .safetensors"
                    + " checkpoint or a hub repo id");
        }
        if (predictionType != null && !predictionType.equals("epsilon") && !predictionType.equals("v_prediction")) {
            throw new IllegalArgumentException("--prediction-type " + predictionType
                    + " is not epsilon or v_prediction");
        }
        Optional<String> hubId = HubModelOptions.hubId(model);
        if (hubId.isPresent()) {
            if (predictionType != null) {
                throw new IllegalArgumentException("--prediction-type is for single-file checkpoints; " + model
                        + " is a hub repo, whose scheduler config sets prediction_type");
            }
            Path snapshot = hub.snapshot(command, hubId.get());
            return registry.addPipeline(FijigenCli.hubSettings(command).cache(), hubId.get(), hub.revision, snapshot);
        }
        if (hub.offline || !hub.revision.equals(HubCache.DEFAULT_REVISION)) {
            throw new IllegalArgumentException("--revision and --offline apply to a hub repo id (owner/name); --model "
                    + model + " is a local path");
        }
        if (predictionType != null && !SingleFileCheckpoint.isSingleFile(model)) {
            throw new IllegalArgumentException("a prediction type is for single-file checkpoints; " + model
                    + " is a diffusers folder, whose scheduler/scheduler_config.json sets prediction_type");
        }
        return registry.addPipeline(model, Optional.ofNullable(predictionType));
    }

    /** A registry for a local run on {@code --device} in {@code --dtype}, both checked. */
    LocalRegistry localRegistry() {
        DataType floatType = floatType(dtype);
        return new LocalRegistry(floatType == DataType.FLOAT16 ? ModelDtype.FP16 : ModelDtype.FP32,
                device(device, floatType).isGpu() ? ModelDevice.GPU : ModelDevice.CPU);
    }

    /** {@code --dtype} as a DJL type. */
    static DataType floatType(String dtype) {
        return switch (dtype) {
            case "fp32" -> DataType.FLOAT32;
            case "fp16" -> DataType.FLOAT16;
            default -> throw new IllegalArgumentException("--dtype " + dtype + " is not fp32 or fp16");
        };
    }

    /** {@code --device}, checked against {@code floatType} and the GPUs libtorch sees. */
    static Device device(String device, DataType floatType) {
        // Loads libtorch, checking its set-up, whichever the device: a CPU model runs on it too.
        int gpus = TorchRuntime.engine().getGpuCount();
        switch (device) {
            case "cpu":
                if (floatType == DataType.FLOAT16) {
                    throw new IllegalArgumentException("--dtype fp16 needs --device gpu (the CPU path is float32)");
                }
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu: libtorch sees no GPU (use --device cpu, or point"
                            + " PYTORCH_LIBRARY_PATH at a CUDA build of libtorch)");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException("--device " + device + " is not cpu or gpu");
        }
    }
}
