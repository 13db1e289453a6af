package io.fijigen.engine.schedule;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.fijigen.engine.config.ConfigFile;
import io.fijigen.engine.config.SchedulerConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The scheduler names a job may ask for, and the factory that configures them for a model. */
public final class Schedulers {
    public static final List<String> NAMES = List.of("ddim", "pndm", "euler", "euler_a", "dpmpp_2m", "dpmpp_2m_karras",
            "unipc", "lms", "heun", "ddpm");

    private static final Map<String, String> CLASS_OF_NAME = new LinkedHashMap<>();

    static {
        CLASS_OF_NAME.put("ddim", "DDIMScheduler");
        CLASS_OF_NAME.put("pndm", "PNDMScheduler");
        CLASS_OF_NAME.put("euler", "EulerDiscreteScheduler");
        CLASS_OF_NAME.put("euler_a", "EulerAncestralDiscreteScheduler");
        CLASS_OF_NAME.put("dpmpp_2m", "DPMSolverMultistepScheduler");
        CLASS_OF_NAME.put("dpmpp_2m_karras", "DPMSolverMultistepScheduler");
        CLASS_OF_NAME.put("unipc", "UniPCMultistepScheduler");
        CLASS_OF_NAME.put("lms", "LMSDiscreteScheduler");
        CLASS_OF_NAME.put("heun", "HeunDiscreteScheduler");
        CLASS_OF_NAME.put("ddpm", "DDPMScheduler");
    }

    /** The reference classes implemented here. */
    public static final List<String> CLASSES = CLASS_OF_NAME.values().stream().distinct().toList();

    private Schedulers() {}

    /**
     * The config the named scheduler gets for a model whose own scheduler config is {@code modelOwn}
     * (null name: the model's own). The Stable Diffusion convention: the named class with the model's
     * noise schedule ({@code beta_start, beta_end, beta_schedule, num_train_timesteps, trained_betas}),
     * {@code steps_offset} and {@code prediction_type}, with {@code clip_sample} and {@code set_alpha_to_one}
     * false where the class takes them, PNDM with {@code skip_prk_steps} (as SD's own PNDM config), and
     * class defaults otherwise. A name whose class is the model's own keeps the model's config.
     */
    public static SchedulerConfig configFor(String name, SchedulerConfig modelOwn) {
        if (name == null) {
            return modelOwn;
        }
        String className = classOf(name);
        if (className.equals(modelOwn.className())) {
            return name.startsWith("dpmpp_2m") ? withDpmppVariant(modelOwn, name) : modelOwn;
        }
        JsonObject json = new JsonObject();
        json.addProperty("_class_name", className);
        json.addProperty("num_train_timesteps", modelOwn.numTrainTimesteps());
        json.addProperty("beta_start", modelOwn.betaStart());
        json.addProperty("beta_end", modelOwn.betaEnd());
        json.addProperty("beta_schedule", modelOwn.betaSchedule());
        if (modelOwn.trainedBetas() != null) {
            JsonArray betas = new JsonArray();
            for (double beta : modelOwn.trainedBetas()) {
                betas.add(beta);
            }
            json.add("trained_betas", betas);
        }
        json.addProperty("steps_offset", modelOwn.stepsOffset());
        json.addProperty("prediction_type", modelOwn.predictionType());
        switch (className) {
            case "DDIMScheduler" -> {
                json.addProperty("clip_sample", false);
                json.addProperty("set_alpha_to_one", false);
            }
            case "PNDMScheduler" -> {
                json.addProperty("set_alpha_to_one", false);
                json.addProperty("skip_prk_steps", true);
            }
            case "DDPMScheduler", "HeunDiscreteScheduler" -> json.addProperty("clip_sample", false);
            case "DPMSolverMultistepScheduler" -> json.addProperty("use_karras_sigmas", name.equals("dpmpp_2m_karras"));
            default -> { }
        }
        return SchedulerConfig.from(ConfigFile.parse(name + " scheduler for " + modelOwn.className(), json.toString()));
    }

    /** A scheduler for {@code config}, set to {@code steps} steps; {@code eta} is read by DDIM only. */
    public static Scheduler create(SchedulerConfig config, int steps, double eta) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        return switch (config.className()) {
            case "DDIMScheduler" -> new DDIMScheduler(config, steps, eta);
            case "PNDMScheduler" -> new PNDMScheduler(config, steps);
            case "EulerDiscreteScheduler" -> new EulerDiscreteScheduler(config, steps);
            case "EulerAncestralDiscreteScheduler" -> new EulerAncestralDiscreteScheduler(config, steps);
            case "DPMSolverMultistepScheduler" -> new DPMSolverMultistepScheduler(config, steps);
            case "UniPCMultistepScheduler" -> new UniPCMultistepScheduler(config, steps);
            case "LMSDiscreteScheduler" -> new LMSDiscreteScheduler(config, steps);
            case "HeunDiscreteScheduler" -> new HeunDiscreteScheduler(config, steps);
            case "DDPMScheduler" -> new DDPMScheduler(config, steps);
            default -> throw new IllegalArgumentException("scheduler class '" + config.className()
                    + "' is not supported (supported: " + String.join(", ", CLASSES) + ")");
        };
    }

    /** The named scheduler (null: the model's own) for a model, set to {@code steps} steps. */
    public static Scheduler create(String name, SchedulerConfig modelOwn, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        return create(configFor(name, modelOwn), steps, 0.0);
    }

    private static String classOf(String name) {
        String className = CLASS_OF_NAME.get(name);
        if (className == null) {
            throw new IllegalArgumentException("unknown scheduler '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
        return className;
    }

    /** dpmpp_2m / dpmpp_2m_karras on a DPM-Solver model config: 2M, with or without Karras sigmas. */
    private static SchedulerConfig withDpmppVariant(SchedulerConfig own, String name) {
        return new SchedulerConfig(own.className(), own.numTrainTimesteps(), own.betaStart(), own.betaEnd(),
                own.betaSchedule(), own.trainedBetas(), own.predictionType(), own.stepsOffset(), own.timestepSpacing(),
                own.setAlphaToOne(), own.clipSample(), own.clipSampleRange(), own.skipPrkSteps(), 2,
                own.algorithmType(), own.solverType(), own.lowerOrderFinal(), name.equals("dpmpp_2m_karras"),
                own.finalSigmasType(), own.varianceType());
    }
}
