package io.fijigen.engine.pipeline;

import io.fijigen.engine.model.StableDiffusion;
import io.fijigen.engine.schedule.SchedulerChoice;
import java.util.Optional;

/**
 * What enlarges the hires fix's first pass: the decoded image (Lanczos, or an x4 upscaler model)
 * or the latents themselves, as the A1111 web UI's "Hires upscaler" choices do.
 */
public sealed interface HiresUpscaler {
    String LANCZOS = "lanczos";
    String LATENT = "latent";
    String LATENT_NEAREST = "latent-nearest";

    /** The name web UIs write as "Hires upscaler" in the parameters text. */
    String webUiName();

    /** The built-in upscaler of that request name, or empty (a model id, or an unknown name). */
    static Optional<HiresUpscaler> builtIn(String name) {
        return switch (name) {
            case LANCZOS -> Optional.of(new Lanczos());
            case LATENT -> Optional.of(new Latent(false));
            case LATENT_NEAREST -> Optional.of(new Latent(true));
            default -> Optional.empty();
        };
    }

    /** The decoded image by PIL's Lanczos (a = 3), the web UI's "Lanczos". */
    record Lanczos() implements HiresUpscaler {
        @Override
        public String webUiName() {
            return "Lanczos";
        }
    }

    /**
     * The latents resized as torch's {@code interpolate(mode="bilinear" or "nearest")} resizes them, the
     * web UI's {@code latent_upscale_modes} "Latent" (bilinear, no antialiasing: its default) and
     * "Latent (nearest)".
     */
    record Latent(boolean nearest) implements HiresUpscaler {
        @Override
        public String webUiName() {
            return nearest ? "Latent (nearest)" : "Latent";
        }
    }

    /**
     * A registered x4 upscaler ({@link Upscale}) run with its own steps, guidance and scheduler with its
     * timestep spacing and eta (its registry defaults) and the request's prompts and seed.
     *
     * @param model the loaded upscaler; null until a server leases it
     */
    record X4(String id, int steps, double guidance, SchedulerChoice scheduler, StableDiffusion model)
            implements HiresUpscaler {
        @Override
        public String webUiName() {
            return id;
        }

        public X4 withModel(StableDiffusion loaded) {
            return new X4(id, steps, guidance, scheduler, loaded);
        }
    }
}
