package io.fijigen.engine.schedule;

import static io.fijigen.engine.schedule.ReferenceLoops.absMean;
import static io.fijigen.engine.schedule.ReferenceLoops.absSum;
import static io.fijigen.engine.schedule.ReferenceLoops.config;
import static io.fijigen.engine.schedule.ReferenceLoops.globalGenerator;
import static io.fijigen.engine.schedule.ReferenceLoops.plainLoop;
import static io.fijigen.engine.schedule.ReferenceLoops.scaledLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.fijigen.engine.config.SchedulerConfig;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The values diffusers' own scheduler tests assert ({@code tests/schedulers/test_scheduler_*.py},
 * each test's {@code result_sum} / {@code result_mean} of |sample| after its full loop), reproduced
 * within the tolerances those tests use (sum 1e-2, mean 1e-3, unless noted). Each test names its
 * source. The configs are those tests' {@code get_scheduler_config}; seeds use the process-wide
 * generator, as {@code torch.manual_seed} does there.
 */
class DiffusersSchedulerTestValuesTest {
    private static final String LINEAR = "\"num_train_timesteps\": 1000, \"beta_start\": 0.0001, \"beta_end\": 0.02,"
            + " \"beta_schedule\": \"linear\"";
    private static final String LINEAR_1100 = LINEAR.replace("1000", "1100");
    private static final String DDIM = LINEAR + ", \"clip_sample\": true";
    private static final String DDPM = LINEAR + ", \"variance_type\": \"fixed_small\", \"clip_sample\": true";
    private static final String DPM = LINEAR + ", \"solver_order\": 2, \"prediction_type\": \"epsilon\","
            + " \"thresholding\": false, \"sample_max_value\": 1.0, \"algorithm_type\": \"dpmsolver++\","
            + " \"solver_type\": \"midpoint\", \"lower_order_final\": false, \"euler_at_final\": false,"
            + " \"variance_type\": null, \"final_sigmas_type\": \"sigma_min\"";
    private static final String UNIPC = LINEAR + ", \"solver_order\": 2, \"solver_type\": \"bh2\","
            + " \"final_sigmas_type\": \"sigma_min\"";

    // test_scheduler_ddim.py (DDIMSchedulerTest.full_loop: 10 steps, eta 0)

    @Test
    void ddimFullLoopNoNoise() {
        expect("ddim test_full_loop_no_noise", plain("DDIMScheduler", DDIM, 10, -1), 172.0067, 0.223967);
    }

    @Test
    void ddimFullLoopWithVPrediction() {
        expect("ddim test_full_loop_with_v_prediction",
                plain("DDIMScheduler", DDIM + ", \"prediction_type\": \"v_prediction\"", 10, -1), 52.5302, 0.0684);
    }

    @Test
    void ddimFullLoopWithSetAlphaToOne() {
        expect("ddim test_full_loop_with_set_alpha_to_one", plain("DDIMScheduler",
                DDIM.replace("0.0001", "0.01") + ", \"set_alpha_to_one\": true", 10, -1), 149.8295, 0.1951);
    }

    @Test
    void ddimFullLoopWithNoSetAlphaToOne() {
        expect("ddim test_full_loop_with_no_set_alpha_to_one", plain("DDIMScheduler",
                DDIM.replace("0.0001", "0.01") + ", \"set_alpha_to_one\": false", 10, -1), 149.0784, 0.1941);
    }

    @Test
    void ddimFullLoopWithNoise() {
        expect("ddim test_full_loop_with_noise (t_start 8)", plain("DDIMScheduler", DDIM, 10, 8), 354.5418, 0.4616);
    }

    @Test
    void ddimStepsOffset() {
        // test_scheduler_ddim.py test_steps_offset
        Scheduler scheduler = Schedulers.create(config("DDIMScheduler", DDIM + ", \"steps_offset\": 1"), 5, 0);
        assertThat(scheduler.timesteps()).containsExactly(801, 601, 401, 201, 1);
    }

    // test_scheduler_ddpm.py: the loop over all 1000 training timesteps, noise from torch.manual_seed(0)

    @Test
    void ddpmFullLoopNoNoise() {
        expect("ddpm test_full_loop_no_noise", plainSeeded("DDPMScheduler", DDPM, 1000, -1), 258.9606, 0.3372);
    }

    @Test
    void ddpmFullLoopWithVPrediction() {
        expect("ddpm test_full_loop_with_v_prediction",
                plainSeeded("DDPMScheduler", DDPM + ", \"prediction_type\": \"v_prediction\"", 1000, -1), 202.0296, 0.2631);
    }

    @Test
    void ddpmFullLoopWithNoise() {
        expect("ddpm test_full_loop_with_noise (t_start 998)", plainSeeded("DDPMScheduler", DDPM, 1000, 998),
                387.9466, 0.5051);
    }

    // test_scheduler_pndm.py (full_loop: the PRK steps, then PLMS; skip_prk_steps false)

    @Test
    void pndmFullLoopNoNoise() {
        expect("pndm test_full_loop_no_noise", plain("PNDMScheduler", LINEAR, 10, -1), 198.1318, 0.2580);
    }

    @Test
    void pndmFullLoopWithVPrediction() {
        expect("pndm test_full_loop_with_v_prediction",
                plain("PNDMScheduler", LINEAR + ", \"prediction_type\": \"v_prediction\"", 10, -1), 67.3986, 0.0878);
    }

    @Test
    void pndmFullLoopWithSetAlphaToOne() {
        expect("pndm test_full_loop_with_set_alpha_to_one", plain("PNDMScheduler",
                LINEAR.replace("0.0001", "0.01") + ", \"set_alpha_to_one\": true", 10, -1), 230.0399, 0.2995);
    }

    @Test
    void pndmFullLoopWithNoSetAlphaToOne() {
        expect("pndm test_full_loop_with_no_set_alpha_to_one", plain("PNDMScheduler",
                LINEAR.replace("0.0001", "0.01") + ", \"set_alpha_to_one\": false", 10, -1), 186.9482, 0.2434);
    }

    // test_scheduler_dpm_multi.py (full_loop: 10 steps; these tests assert the mean only)

    @Test
    void dpmFullLoopNoNoise() {
        expectMean("dpm_multi test_full_loop_no_noise", plain("DPMSolverMultistepScheduler", DPM, 10, -1), 0.3301);
    }

    @Test
    void dpmFullLoopWithNoise() {
        expect("dpm_multi test_full_loop_with_noise (t_start 5)", plain("DPMSolverMultistepScheduler", DPM, 10, 5),
                318.4111, 0.4146);
    }

    @Test
    void dpmFullLoopWithVPrediction() {
        expectMean("dpm_multi test_full_loop_with_v_prediction", plain("DPMSolverMultistepScheduler",
                DPM.replace("\"epsilon\"", "\"v_prediction\""), 10, -1), 0.2251);
    }

    @Test
    void dpmFullLoopWithKarrasAndVPrediction() {
        expectMean("dpm_multi test_full_loop_with_karras_and_v_prediction", plain("DPMSolverMultistepScheduler",
                DPM.replace("\"epsilon\"", "\"v_prediction\"") + ", \"use_karras_sigmas\": true", 10, -1), 0.2096);
    }

    // test_scheduler_unipc.py, UniPCMultistepSchedulerTest (full_loop: 10 steps; mean only)

    @Test
    void unipcFullLoopNoNoise() {
        expectMean("unipc test_full_loop_no_noise", plain("UniPCMultistepScheduler", UNIPC, 10, -1), 0.2464);
    }

    @Test
    void unipcFullLoopWithKarras() {
        expectMean("unipc test_full_loop_with_karras",
                plain("UniPCMultistepScheduler", UNIPC + ", \"use_karras_sigmas\": true", 10, -1), 0.2925);
    }

    @Test
    void unipcFullLoopWithVPrediction() {
        expectMean("unipc test_full_loop_with_v_prediction",
                plain("UniPCMultistepScheduler", UNIPC + ", \"prediction_type\": \"v_prediction\"", 10, -1), 0.1014);
    }

    @Test
    void unipcFullLoopWithKarrasAndVPrediction() {
        expectMean("unipc test_full_loop_with_karras_and_v_prediction", plain("UniPCMultistepScheduler",
                UNIPC + ", \"prediction_type\": \"v_prediction\", \"use_karras_sigmas\": true", 10, -1), 0.1966);
    }

    @Test
    void unipcFullLoopWithNoise() {
        expect("unipc test_full_loop_with_noise (t_start 8)", plain("UniPCMultistepScheduler", UNIPC, 10, 8),
                315.5757, 0.4109);
    }

    // test_scheduler_euler.py (num_train_timesteps 1100; full_loop with scale_model_input)

    @Test
    void eulerFullLoopNoNoise() {
        expect("euler test_full_loop_no_noise", scaled("EulerDiscreteScheduler", LINEAR_1100, -1, false), 10.0807, 0.0131);
    }

    @Test
    void eulerFullLoopWithVPrediction() {
        expect("euler test_full_loop_with_v_prediction", scaled("EulerDiscreteScheduler",
                LINEAR_1100 + ", \"prediction_type\": \"v_prediction\"", -1, false), 0.0002, 2.2676e-06);
    }

    @Test
    void eulerFullLoopDeviceKarrasSigmas() {
        expect("euler test_full_loop_device_karras_sigmas", scaled("EulerDiscreteScheduler",
                LINEAR_1100 + ", \"use_karras_sigmas\": true", -1, false), 124.52299499511719, 0.16213932633399963);
    }

    @Test
    void eulerFullLoopWithNoise() {
        expect("euler test_full_loop_with_noise (t_start 8)", scaled("EulerDiscreteScheduler", LINEAR_1100, 8, false),
                57062.9297, 74.3007);
    }

    // test_scheduler_euler_ancestral.py (num_train_timesteps 1100; noise from torch.manual_seed(0))

    @Test
    void eulerAncestralFullLoopNoNoise() {
        expect("euler_ancestral test_full_loop_no_noise",
                scaled("EulerAncestralDiscreteScheduler", LINEAR_1100, -1, true), 152.3192, 0.1983);
    }

    @Test
    void eulerAncestralFullLoopWithVPrediction() {
        expect("euler_ancestral test_full_loop_with_v_prediction", scaled("EulerAncestralDiscreteScheduler",
                LINEAR_1100 + ", \"prediction_type\": \"v_prediction\"", -1, true), 108.4439, 0.1412);
    }

    @Test
    void eulerAncestralFullLoopWithNoise() {
        expect("euler_ancestral test_full_loop_with_noise (t_start 8)",
                scaled("EulerAncestralDiscreteScheduler", LINEAR_1100, 8, true), 56163.0508, 73.1290);
    }

    // test_scheduler_lms.py (num_train_timesteps 1100)

    @Test
    void lmsFullLoopNoNoise() {
        expect("lms test_full_loop_no_noise", scaled("LMSDiscreteScheduler", LINEAR_1100, -1, false), 1006.388, 1.31);
    }

    @Test
    void lmsFullLoopWithVPrediction() {
        expect("lms test_full_loop_with_v_prediction", scaled("LMSDiscreteScheduler",
                LINEAR_1100 + ", \"prediction_type\": \"v_prediction\"", -1, false), 0.0017, 2.2676e-06);
    }

    @Test
    void lmsFullLoopDeviceKarrasSigmas() {
        // This test allows 2e-2 on the sum.
        NDArrayResult result = scaled("LMSDiscreteScheduler", LINEAR_1100 + ", \"use_karras_sigmas\": true", -1, false);
        check("lms test_full_loop_device_karras_sigmas", result, 3812.9927, 2e-2, 4.9648);
    }

    @Test
    void lmsFullLoopWithNoise() {
        expect("lms test_full_loop_with_noise (t_start 8)", scaled("LMSDiscreteScheduler", LINEAR_1100, 8, false),
                27663.6895, 36.0204);
    }

    // test_scheduler_heun.py (num_train_timesteps 1100; the CPU values)

    @Test
    void heunFullLoopNoNoise() {
        expect("heun test_full_loop_no_noise", scaled("HeunDiscreteScheduler", LINEAR_1100, -1, false), 0.1233, 0.0002);
    }

    @Test
    void heunFullLoopWithVPrediction() {
        expect("heun test_full_loop_with_v_prediction", scaled("HeunDiscreteScheduler",
                LINEAR_1100 + ", \"prediction_type\": \"v_prediction\"", -1, false), 4.6934e-07, 6.1112e-10);
    }

    @Test
    void heunFullLoopDeviceKarrasSigmas() {
        // This test allows 1e-2 on the mean too.
        NDArrayResult result = scaled("HeunDiscreteScheduler", LINEAR_1100 + ", \"use_karras_sigmas\": true", -1, false);
        check("heun test_full_loop_device_karras_sigmas", result, 0.00015, 1e-2, 1.9869554535034695e-07);
    }

    @Test
    void heunFullLoopWithNoise() {
        expect("heun test_full_loop_with_noise (t_start 8)", scaled("HeunDiscreteScheduler", LINEAR_1100, 8, false),
                75074.8906, 97.7538);
    }

    /** |sample| sum and mean of one loop. */
    record NDArrayResult(double sum, double mean) {}

    private static NDArrayResult plain(String className, String members, int steps, int tStart) {
        return run(className, members, steps, (scheduler, manager) -> plainLoop(scheduler, manager, tStart, null));
    }

    private static NDArrayResult plainSeeded(String className, String members, int steps, int tStart) {
        return run(className, members, steps,
                (scheduler, manager) -> plainLoop(scheduler, manager, tStart, globalGenerator(0)));
    }

    /** The sigma schedulers' tests: 10 steps, scale_model_input in the loop, torch.manual_seed(0) when stochastic. */
    private static NDArrayResult scaled(String className, String members, int tStart, boolean seeded) {
        return run(className, members, 10,
                (scheduler, manager) -> scaledLoop(scheduler, manager, tStart, seeded ? globalGenerator(0) : null));
    }

    private static NDArrayResult run(String className, String members, int steps,
            BiFunction<Scheduler, NDManager, NDArray> loop) {
        SchedulerConfig config = config(className, members);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray result = loop.apply(Schedulers.create(config, steps, 0.0), manager);
            return new NDArrayResult(absSum(result), absMean(result));
        }
    }

    private static void expect(String test, NDArrayResult result, double sum, double mean) {
        check(test, result, sum, 1e-2, mean);
    }

    private static void check(String test, NDArrayResult result, double sum, double sumTolerance, double mean) {
        System.out.printf("reference %-58s sum %.4f (expected %.4f, diff %.1e), mean %.6f (expected %.6f)%n", test,
                result.sum(), sum, Math.abs(result.sum() - sum), result.mean(), mean);
        assertThat(result.sum()).as(test + " result_sum").isCloseTo(sum, offset(sumTolerance));
        assertThat(result.mean()).as(test + " result_mean").isCloseTo(mean, offset(test.contains("heun test_full_loop_device_karras") ? 1e-2 : 1e-3));
    }

    private static void expectMean(String test, NDArrayResult result, double mean) {
        System.out.printf("reference %-58s mean %.6f (expected %.6f, diff %.1e)%n", test, result.mean(), mean,
                Math.abs(result.mean() - mean));
        assertThat(result.mean()).as(test + " result_mean").isCloseTo(mean, offset(1e-3));
    }
}
