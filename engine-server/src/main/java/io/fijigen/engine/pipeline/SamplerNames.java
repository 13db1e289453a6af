package io.fijigen.engine.pipeline;

import java.util.Map;

/** Scheduler names as web UIs show them ("Sampler: Euler a"), so their PNG readers recognise ours. */
final class SamplerNames {
    private static final Map<String, String> DISPLAY = Map.of(
            "ddim", "DDIM", "pndm", "PLMS", "euler", "Euler", "euler_a", "Euler a", "dpmpp_2m", "DPM++ 2M",
            "dpmpp_2m_karras", "DPM++ 2M Karras", "unipc", "UniPC", "lms", "LMS", "heun", "Heun", "ddpm", "DDPM");

    private SamplerNames() {}

    static String display(String name) {
        return DISPLAY.getOrDefault(name, name);
    }

    /** Our name for a diffusers scheduler class, for a model's own scheduler. */
    static String ofClass(String className, boolean karras) {
        return switch (className) {
            case "DDIMScheduler" -> "ddim";
            case "PNDMScheduler" -> "pndm";
            case "EulerDiscreteScheduler" -> "euler";
            case "EulerAncestralDiscreteScheduler" -> "euler_a";
            case "DPMSolverMultistepScheduler" -> karras ? "dpmpp_2m_karras" : "dpmpp_2m";
            case "UniPCMultistepScheduler" -> "unipc";
            case "LMSDiscreteScheduler" -> "lms";
            case "HeunDiscreteScheduler" -> "heun";
            case "DDPMScheduler" -> "ddpm";
            default -> className;
        };
    }
}
