package io.fijigen.engine.pipeline;

import static io.fijigen.engine.ParityFixtures.maxDifference;
import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.TinyModel;
import io.fijigen.engine.tensor.HostTensor;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The x4 upscaler's timestep spacing and eta, on the tiny x4 fixture, whose own scheduler is DDIM,
 * "leading", steps_offset 1, 1000 training steps.
 */
class UpscaleTimestepsAndEtaTest {
    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    @RegisterExtension
    static final TinyModel upscaler = new TinyModel("tiny-x4-upscaler");

    /** The fixture's request (its latents, seed 25) at 4 steps, changed by {@code settings}. */
    private static UpscaleRequest request(UnaryOperator<GenerationRequest.Builder> settings) {
        UpscaleRequest fixture = UpscaleTest.fixtureRequest(HostTensor.of(session.golden("upscale.low_res")), 20);
        GenerationRequest generation = settings.apply(fixture.generation().toBuilder().steps(4)).build();
        return new UpscaleRequest(generation, fixture.image(), fixture.noiseLevel(), fixture.tiling());
    }

    private static HostTensor upscale(UnaryOperator<GenerationRequest.Builder> settings) {
        return Upscale.generate(upscaler.get(), request(settings), StepListener.NONE).images();
    }

    /** The timesteps of the scheduler the job builds, as it builds it. */
    private static double[] timesteps(UnaryOperator<GenerationRequest.Builder> settings) {
        return RequestLimits.scheduler(request(settings).generation(), upscaler.get().schedulerConfig()).timesteps();
    }

    @Test
    void theDefaultsGivenExplicitlyGiveTheDefaultImage() {
        HostTensor unset = upscale(b -> b);
        HostTensor explicit = upscale(b -> b.scheduler("ddim").timestepSpacing("leading").eta(0.0));
        System.out.printf("x4, spacing leading and eta 0 given vs unset: max |diff| %.3e%n",
                maxDifference(unset, explicit));
        assertThat(explicit.data()).containsExactly(unset.data());
    }

    /**
     * 4 of 1000 steps: leading is arange(4) · 250 + steps_offset, descending = 751, 501, 251, 1;
     * trailing is round(arange(1000, 0, -250)) - 1 = 999, 749, 499, 249.
     */
    @Test
    void trailingVisitsTheLastTimestepsAndGivesAnotherImage() {
        double[] leading = timesteps(b -> b);
        double[] trailing = timesteps(b -> b.timestepSpacing("trailing"));
        assertThat(leading).containsExactly(751, 501, 251, 1);
        assertThat(trailing).containsExactly(999, 749, 499, 249);

        double moved = maxDifference(upscale(b -> b), upscale(b -> b.timestepSpacing("trailing")));
        System.out.printf("x4, trailing vs leading: max |diff| %.3e%n", moved);
        assertThat(moved).isGreaterThan(1e-3);
    }

    @Test
    void etaAddsFreshNoiseThatTheSeedReproduces() {
        HostTensor deterministic = upscale(b -> b.eta(0.0));
        HostTensor noisy = upscale(b -> b.eta(0.5));
        HostTensor again = upscale(b -> b.eta(0.5));
        double moved = maxDifference(deterministic, noisy);
        System.out.printf("x4, ddim eta 0.5 vs 0: max |diff| %.3e; eta 0.5 twice: %.3e%n", moved,
                maxDifference(noisy, again));
        assertThat(moved).isGreaterThan(1e-3);
        assertThat(again.data()).containsExactly(noisy.data());
    }
}
