package io.fijigen.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.engine.config.SchedulerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The scheduler table: the API's list of names, what each entry builds, and the names web UIs show. */
class SchedulerKindTest {
    private static final Path ENGINE_PROTO = Path.of("../proto/src/main/proto/fijigen/v1/engine.proto");

    private static SchedulerConfig own(String model) throws IOException {
        return SchedulerConfig.read(ParityFixtures.model(model).resolve("scheduler/scheduler_config.json"));
    }

    @Test
    void idsAreTheNamesInEngineProtosHeader() throws IOException {
        String comments = Files.readAllLines(ENGINE_PROTO).stream()
                .takeWhile(line -> line.startsWith("//"))
                .map(line -> line.substring(2).strip())
                .collect(Collectors.joining(" "));
        Matcher names = Pattern.compile("Scheduler names: ([^.]*)\\.").matcher(comments);
        assertThat(names.find()).as("a 'Scheduler names: …' line in " + ENGINE_PROTO).isTrue();
        List<String> protoNames = Arrays.asList(names.group(1).split(",\\s*"));
        System.out.println("engine.proto scheduler names: " + protoNames);
        assertThat(SchedulerKind.ids()).containsExactlyElementsOf(protoNames);
    }

    @Test
    void everyFactoryBuildsItsDiffusersClassFromAModelsConfig() throws IOException {
        for (String model : new String[] {"tiny-sd15", "tiny-sd2"}) {
            for (SchedulerKind kind : SchedulerKind.values()) {
                SchedulerConfig config = kind.configFor(own(model));
                assertThat(config.className()).as(kind.id() + " on " + model).isEqualTo(kind.className());
                Scheduler scheduler = kind.create(config, 10, 0.0);
                assertThat(scheduler.getClass().getSimpleName()).as(kind.id() + " on " + model)
                        .isEqualTo(kind.className());
            }
        }
    }

    @Test
    void displayNamesAreTheWebUisSamplerNames() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ddim", "DDIM");
        expected.put("pndm", "PLMS");
        expected.put("euler", "Euler");
        expected.put("euler_a", "Euler a");
        expected.put("dpmpp_2m", "DPM++ 2M");
        expected.put("dpmpp_2m_karras", "DPM++ 2M Karras");
        expected.put("unipc", "UniPC");
        expected.put("lms", "LMS");
        expected.put("heun", "Heun");
        expected.put("ddpm", "DDPM");
        expected.put("lcm", "LCM");
        expected.put("tcd", "TCD");
        Map<String, String> actual = new LinkedHashMap<>();
        for (SchedulerKind kind : SchedulerKind.values()) {
            actual.put(kind.id(), kind.displayName());
        }
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    @Test
    void aModelsOwnSchedulerIsNamedByItsClassAndKarrasSigmas() throws IOException {
        assertThat(SchedulerKind.of(own("tiny-sd15"))).isEqualTo(SchedulerKind.PNDM);
        assertThat(SchedulerKind.of(own("tiny-sd2")).displayName()).isEqualTo("DDIM");
        assertThat(SchedulerKind.of(ReferenceLoops.config("EulerAncestralDiscreteScheduler", "")).displayName())
                .isEqualTo("Euler a");
        assertThat(SchedulerKind.of(ReferenceLoops.config("DPMSolverMultistepScheduler", "")).displayName())
                .isEqualTo("DPM++ 2M");
        assertThat(SchedulerKind.of(ReferenceLoops.config("DPMSolverMultistepScheduler",
                "\"use_karras_sigmas\": true")).displayName()).isEqualTo("DPM++ 2M Karras");
        // The name follows the Karras sigmas alone, whatever the solver order.
        assertThat(SchedulerKind.of(ReferenceLoops.config("DPMSolverMultistepScheduler",
                "\"use_karras_sigmas\": true, \"solver_order\": 3")).id()).isEqualTo("dpmpp_2m_karras");
        assertThatThrownBy(() -> SchedulerKind.of(ReferenceLoops.config("KDPM2DiscreteScheduler", "")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scheduler class 'KDPM2DiscreteScheduler' is not supported")
                .hasMessageContaining("(supported: DDIMScheduler, PNDMScheduler, EulerDiscreteScheduler,"
                        + " EulerAncestralDiscreteScheduler, DPMSolverMultistepScheduler, UniPCMultistepScheduler,"
                        + " LMSDiscreteScheduler, HeunDiscreteScheduler, DDPMScheduler, LCMScheduler, TCDScheduler)");
    }

    @Test
    void unknownNamesGetOneMessageListingTheKnownOnes() {
        assertThat(SchedulerKind.unknownName("warp9")).isEqualTo("unknown scheduler 'warp9' (known: ddim, pndm, euler,"
                + " euler_a, dpmpp_2m, dpmpp_2m_karras, unipc, lms, heun, ddpm, lcm, tcd)");
        assertThat(SchedulerKind.fromId("Euler a")).isEmpty();
        assertThat(SchedulerKind.named("euler_a")).isEqualTo(SchedulerKind.EULER_A);
        assertThatThrownBy(() -> SchedulerKind.named("warp9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(SchedulerKind.unknownName("warp9"));
    }
}
