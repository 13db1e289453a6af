package io.fijigen.engine.schedule;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.fijigen.engine.config.ConfigFile;
import io.fijigen.engine.config.SchedulerConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The schedulers a job may name, in the order the API lists them (engine.proto's header): the name,
 * the diffusers class it configures, the name web UIs show ("Sampler: Euler a"), how the class is
 * built, and how a model's own scheduler config becomes this one's. Adding a scheduler is an entry
 * here plus its class.
 */
public enum SchedulerKind {
    DDIM("ddim", "DDIMScheduler", "DDIM", DDIMScheduler::new, Map.of("clip_sample", false, "set_alpha_to_one", false)),
    PNDM("pndm", "PNDMScheduler", "PLMS", (config, steps, eta) -> new PNDMScheduler(config, steps),
            Map.of("set_alpha_to_one", false, "skip_prk_steps", true)),
    EULER("euler", "EulerDiscreteScheduler", "Euler", (config, steps, eta) -> new EulerDiscreteScheduler(config, steps),
            Map.of()),
    EULER_A("euler_a", "EulerAncestralDiscreteScheduler", "Euler a",
            (config, steps, eta) -> new EulerAncestralDiscreteScheduler(config, steps), Map.of()),
    DPMPP_2M("dpmpp_2m", "DPMSolverMultistepScheduler", "DPM++ 2M",
            (config, steps, eta) -> new DPMSolverMultistepScheduler(config, steps), Map.of(),
            own -> secondOrderMultistep(own, false)),
    DPMPP_2M_KARRAS("dpmpp_2m_karras", "DPMSolverMultistepScheduler", "DPM++ 2M Karras",
            (config, steps, eta) -> new DPMSolverMultistepScheduler(config, steps), Map.of(),
            own -> secondOrderMultistep(own, true)),
    UNIPC("unipc", "UniPCMultistepScheduler", "UniPC", (config, steps, eta) -> new UniPCMultistepScheduler(config, steps),
            Map.of()),
    LMS("lms", "LMSDiscreteScheduler", "LMS", (config, steps, eta) -> new LMSDiscreteScheduler(config, steps), Map.of()),
    HEUN("heun", "HeunDiscreteScheduler", "Heun", (config, steps, eta) -> new HeunDiscreteScheduler(config, steps),
            Map.of("clip_sample", false)),
    DDPM("ddpm", "DDPMScheduler", "DDPM", (config, steps, eta) -> new DDPMScheduler(config, steps),
            Map.of("clip_sample", false)),
    LCM("lcm", "LCMScheduler", "LCM", (config, steps, eta) -> new LCMScheduler(config, steps),
            Map.of("clip_sample", false, "set_alpha_to_one", false)),
    TCD("tcd", "TCDScheduler", "TCD", TCDScheduler::new, Map.of("clip_sample", false, "set_alpha_to_one", false));

    /** Builds the class from its config, set to a number of steps; eta is read by DDIM and TCD alone. */
    @FunctionalInterface
    private interface Factory {
        Scheduler create(SchedulerConfig config, int steps, double eta);
    }

    private final String id;
    private final String className;
    private final String displayName;
    private final Factory factory;
    private final Map<String, Boolean> converted;
    private final UnaryOperator<SchedulerConfig> variant;

    SchedulerKind(String id, String className, String displayName, Factory factory, Map<String, Boolean> converted) {
        this(id, className, displayName, factory, converted, UnaryOperator.identity());
    }

    /**
     * @param converted the options a model's config of another class gets besides its noise schedule
     * @param variant what the name itself stands for, set on every config it gets, the model's own included
     */
    SchedulerKind(String id, String className, String displayName, Factory factory, Map<String, Boolean> converted,
            UnaryOperator<SchedulerConfig> variant) {
        this.id = id;
        this.className = className;
        this.displayName = displayName;
        this.factory = factory;
        this.converted = converted;
        this.variant = variant;
    }

    /** The name a job, the CLI and the model registry use. */
    public String id() {
        return id;
    }

    /** The diffusers class. */
    public String className() {
        return className;
    }

    /** The sampler name web UIs write into a PNG's parameters, so their readers recognise ours. */
    public String displayName() {
        return displayName;
    }

    /** All names, in the table's order. */
    public static List<String> ids() {
        return Arrays.stream(values()).map(SchedulerKind::id).toList();
    }

    public static Optional<SchedulerKind> fromId(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst();
    }

    /** The scheduler of that name; an unknown name is refused with {@link #unknownName}'s message. */
    public static SchedulerKind named(String id) {
        return fromId(id).orElseThrow(() -> new IllegalArgumentException(unknownName(id)));
    }

    /** What is wrong with a name that is no scheduler's, for every place that validates one. */
    public static String unknownName(String name) {
        return "unknown scheduler '" + name + "' (known: " + String.join(", ", ids()) + ")";
    }

    /**
     * The scheduler a model's own config is: the first of its class whose variant keeps the config's
     * Karras sigmas, since web UIs name those ("DPM++ 2M Karras") and no other option.
     */
    public static SchedulerKind of(SchedulerConfig own) {
        return Arrays.stream(values())
                .filter(kind -> kind.className.equals(own.className())
                        && kind.variant.apply(own).useKarrasSigmas() == own.useKarrasSigmas())
                .findFirst().orElseThrow(() -> unsupported(own.className()));
    }

    /** The first scheduler of a diffusers class: the names of one class build it alike from a config. */
    static SchedulerKind ofClass(String className) {
        return Arrays.stream(values()).filter(kind -> kind.className.equals(className)).findFirst()
                .orElseThrow(() -> unsupported(className));
    }

    /** Whether it reads eta, the share of fresh noise per step (DDIM's η, TCD's γ). */
    public boolean readsEta() {
        return this == DDIM || this == TCD;
    }

    /** The eta a job that gives none gets: TCD's own 0.3 (what its users set), 0 (deterministic DDIM) otherwise. */
    public double defaultEta() {
        return this == TCD ? TCDScheduler.DEFAULT_ETA : 0.0;
    }

    /**
     * Whether it reads {@code timestep_spacing}: LCM and TCD take their timesteps from the schedule
     * they were distilled on instead.
     */
    public boolean spacesTimesteps() {
        return this != LCM && this != TCD;
    }

    /** This scheduler's class built from {@code config}, set to {@code steps} steps. */
    Scheduler create(SchedulerConfig config, int steps, double eta) {
        return factory.create(config, steps, eta);
    }

    /**
     * This scheduler's config for a model whose own scheduler config is {@code modelOwn}. The Stable
     * Diffusion convention: this class with the model's noise schedule ({@code beta_start, beta_end,
     * beta_schedule, num_train_timesteps, trained_betas}), {@code steps_offset} and {@code prediction_type},
     * the {@code converted} options (e.g. {@code clip_sample} and {@code set_alpha_to_one} false, PNDM with
     * {@code skip_prk_steps} as SD's own PNDM config) and class defaults otherwise. A model whose own class
     * this is keeps its config. Either way the name's variant is set on it.
     */
    SchedulerConfig configFor(SchedulerConfig modelOwn) {
        return variant.apply(className.equals(modelOwn.className()) ? modelOwn : converted(modelOwn));
    }

    private SchedulerConfig converted(SchedulerConfig modelOwn) {
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
        converted.forEach(json::addProperty);
        return SchedulerConfig.from(ConfigFile.parse(id + " scheduler for " + modelOwn.className(), json.toString()));
    }

    /** DPM++ 2M: DPM-Solver++ of order 2, with or without Karras sigmas. */
    private static SchedulerConfig secondOrderMultistep(SchedulerConfig own, boolean karras) {
        return new SchedulerConfig(own.className(), own.numTrainTimesteps(), own.betaStart(), own.betaEnd(),
                own.betaSchedule(), own.trainedBetas(), own.predictionType(), own.stepsOffset(), own.timestepSpacing(),
                own.setAlphaToOne(), own.clipSample(), own.clipSampleRange(), own.skipPrkSteps(), 2,
                own.algorithmType(), own.solverType(), own.lowerOrderFinal(), karras, own.finalSigmasType(),
                own.varianceType(), own.originalInferenceSteps(), own.timestepScaling());
    }

    private static IllegalArgumentException unsupported(String className) {
        String supported = Arrays.stream(values()).map(SchedulerKind::className).distinct()
                .collect(Collectors.joining(", "));
        return new IllegalArgumentException("scheduler class '" + className + "' is not supported (supported: "
                + supported + ")");
    }
}
