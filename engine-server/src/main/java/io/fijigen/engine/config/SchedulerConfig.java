package io.fijigen.engine.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A diffusers {@code scheduler_config.json}: the noise schedule every scheduler class shares, plus
 * the class-specific options that appear in Stable Diffusion folders. Defaults are the reference
 * classes' own; where classes disagree on a default (e.g. {@code timestep_spacing}), the default
 * here is the class's (see {@link #classDefaultSpacing}). Which fields a class reads, and which
 * values it supports, is up to the scheduler built from it ({@code io.fijigen.engine.schedule}).
 *
 * @param setAlphaToOne DDIM, PNDM: ᾱ before t = 0 is 1 rather than ᾱ₀ (default true for DDIM, false for PNDM)
 * @param clipSample DDIM, DDPM, Heun: clamp the predicted x₀ to ±clipSampleRange (default true for DDIM and DDPM)
 * @param trainedBetas explicit betas replacing the beta schedule, null when absent
 * @param skipPrkSteps PNDM: start with PLMS steps right away, as Stable Diffusion does
 * @param solverOrder DPM-Solver++ and UniPC (1 to 3)
 * @param algorithmType DPM-Solver: "dpmsolver++" (only this one is supported)
 * @param solverType DPM-Solver "midpoint" or "heun", UniPC "bh2" or "bh1"
 * @param lowerOrderFinal DPM-Solver++ and UniPC: first order on the last steps
 * @param useKarrasSigmas sigmas spaced as Karras et al. (2022)
 * @param finalSigmasType "zero": the last sigma is 0; "sigma_min": the training schedule's smallest
 * @param varianceType DDPM "fixed_small", null for the others
 * @param originalInferenceSteps LCM, TCD: the steps of the distillation schedule a run's timesteps are taken from
 * @param timestepScaling LCM: the factor on t in the boundary conditions c_skip and c_out
 */
public record SchedulerConfig(
        String className,
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        String betaSchedule,
        double[] trainedBetas,
        String predictionType,
        int stepsOffset,
        String timestepSpacing,
        boolean setAlphaToOne,
        boolean clipSample,
        double clipSampleRange,
        boolean skipPrkSteps,
        int solverOrder,
        String algorithmType,
        String solverType,
        boolean lowerOrderFinal,
        boolean useKarrasSigmas,
        String finalSigmasType,
        String varianceType,
        int originalInferenceSteps,
        double timestepScaling) {

    public static SchedulerConfig read(Path file) throws IOException {
        return from(ConfigFile.read(file));
    }

    public static SchedulerConfig from(ConfigFile config) {
        String className = config.string("_class_name", "");
        boolean consistency = isConsistency(className);
        config.requireDefault("thresholding", false);
        config.requireDefault("rescale_betas_zero_snr", false);
        config.requireDefault("use_exponential_sigmas", false);
        config.requireDefault("use_beta_sigmas", false);
        config.requireDefault("use_lu_lambdas", false);
        config.requireDefault("use_flow_sigmas", false);
        config.requireDefault("use_dynamic_shifting", false);
        config.requireDefault("euler_at_final", false);
        config.requireDefault("interpolation_type", "linear");
        config.requireDefault("timestep_type", "discrete");
        config.requireDefault("sigma_min", null);
        config.requireDefault("sigma_max", null);
        config.requireDefault("shift_terminal", null);
        config.requireDefault("solver_p", null);
        config.requireDefault("predict_x0", true);
        config.requireDefault("lambda_min_clipped", Double.NEGATIVE_INFINITY);
        requireEmptyList(config, "disable_corrector");
        config.requireDefault("variance_type", className.equals("DDPMScheduler") ? "fixed_small" : null);
        return new SchedulerConfig(
                className,
                config.intValue("num_train_timesteps", 1000),
                config.doubleValue("beta_start", consistency ? 0.00085 : 0.0001),
                config.doubleValue("beta_end", consistency ? 0.012 : 0.02),
                consistency ? config.choice("beta_schedule", "scaled_linear", "linear", "squaredcos_cap_v2")
                        : config.choice("beta_schedule", "linear", "scaled_linear", "squaredcos_cap_v2"),
                config.has("trained_betas") ? config.doubleList("trained_betas") : null,
                config.choice("prediction_type", "epsilon", "v_prediction", "sample"),
                config.intValue("steps_offset", 0),
                spacing(config, className),
                config.boolValue("set_alpha_to_one", !className.equals("PNDMScheduler")),
                config.boolValue("clip_sample", className.equals("DDPMScheduler") || className.equals("DDIMScheduler")),
                config.doubleValue("clip_sample_range", 1.0),
                config.boolValue("skip_prk_steps", false),
                config.intValue("solver_order", 2),
                config.choice("algorithm_type", "dpmsolver++"),
                config.string("solver_type", className.startsWith("UniPC") ? "bh2" : "midpoint"),
                config.boolValue("lower_order_final", true),
                config.boolValue("use_karras_sigmas", false),
                config.choice("final_sigmas_type", "zero", "sigma_min"),
                config.string("variance_type", className.equals("DDPMScheduler") ? "fixed_small" : null),
                config.intValue("original_inference_steps", 50),
                config.doubleValue("timestep_scaling", 10.0));
    }

    /** LCM and TCD, whose class defaults are Stable Diffusion's noise schedule rather than DDPM's. */
    private static boolean isConsistency(String className) {
        return className.equals("LCMScheduler") || className.equals("TCDScheduler");
    }

    /** This config with another {@code timestep_spacing} (a job's own choice over the model's). */
    public SchedulerConfig withTimestepSpacing(String spacing) {
        return new SchedulerConfig(className, numTrainTimesteps, betaStart, betaEnd, betaSchedule, trainedBetas,
                predictionType, stepsOffset, spacing, setAlphaToOne, clipSample, clipSampleRange, skipPrkSteps,
                solverOrder, algorithmType, solverType, lowerOrderFinal, useKarrasSigmas, finalSigmasType, varianceType,
                originalInferenceSteps, timestepScaling);
    }

    /** The reference class's defaults: a config with nothing but {@code _class_name}. */
    public static SchedulerConfig defaults(String className) {
        return from(ConfigFile.parse(className + " defaults", "{\"_class_name\": \"" + className + "\"}"));
    }

    /** UniPC's {@code disable_corrector}: the list of steps without corrector; we run it on every step. */
    private static void requireEmptyList(ConfigFile config, String key) {
        if (config.has(key) && config.intList(key).length > 0) {
            throw config.invalid(key, "= " + java.util.Arrays.toString(config.intList(key))
                    + " is not supported (only [])");
        }
    }

    /** The reference classes default to "leading" (DDIM, DDPM, PNDM, LCM, TCD) or "linspace" (the others). */
    public static String classDefaultSpacing(String className) {
        return switch (className) {
            case "DDIMScheduler", "DDPMScheduler", "PNDMScheduler", "LCMScheduler", "TCDScheduler" -> "leading";
            default -> "linspace";
        };
    }

    private static String spacing(ConfigFile config, String className) {
        String value = config.string("timestep_spacing", classDefaultSpacing(className));
        return switch (value) {
            case "leading", "linspace", "trailing" -> value;
            default -> throw config.invalid("timestep_spacing", "= \"" + value
                    + "\" is not supported (supported: leading, linspace, trailing)");
        };
    }
}
