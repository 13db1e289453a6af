package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Lora;
import io.fijigen.proto.v1.Result;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** LoRAs over loopback gRPC: the demo registry's {@code tiny-lora} by field and by prompt tag, and bad requests. */
class EngineLoraTest extends LoopbackEngineTestBase {
    /**
     * A fresh model, then the LoRA on the UNet only by a prompt tag (the reference's
     * {@code pipe.lora075_unet_only.ddim}), then on both networks by the field, then none: the last
     * job's PNG is byte for byte the first one's.
     */
    @Test
    void loraJobsMatchTheReferenceAndALoraFreeJobAfterThemEqualsAFreshModel() throws Exception {
        Result fresh = result(WireRequests.fixtureRequest(session));

        Result tagged = result(WireRequests.fixtureRequest(session)
                .setPrompt("A cyberpunk city, neon lights<lora:tiny-lora:0:0.75>"));
        double worst = WireRequests.maxDifference(tagged.getImages(0), session.golden("pipe.lora075_unet_only.ddim"));
        System.out.printf("grpc pipe.lora075_unet_only.ddim: max |png/255 - reference| = %.5f (limit 1/255)%n", worst);
        assertThat(worst).isLessThanOrEqualTo(1 / 255.0);
        assertThat(tagged.getParameters()).startsWith("A cyberpunk city, neon lights <lora:tiny-lora:0:0.75>\n");

        Result both = result(WireRequests.fixtureRequest(session)
                .addLoras(Lora.newBuilder().setId("tiny-lora").setWeight(0.75)));
        assertThat(both.getImages(0).getPng()).isNotEqualTo(tagged.getImages(0).getPng());
        assertThat(both.getParameters()).contains("<lora:tiny-lora:0.75>");

        Result after = result(WireRequests.fixtureRequest(session));
        assertThat(after.getImages(0).getPng()).isEqualTo(fresh.getImages(0).getPng());
        assertThat(WireRequests.maxDifference(after.getImages(0), session.golden("pipe.txt2img.ddim")))
                .isLessThanOrEqualTo(1 / 255.0);
    }

    @Test
    void unknownLorasAreNotFoundNamingTheFieldOrTag() {
        assertStatus(WireRequests.fixtureRequest(session).addLoras(Lora.newBuilder().setId("tiny-lora"))
                .addLoras(Lora.newBuilder().setId("nope")), Status.Code.NOT_FOUND,
                "loras[1].id: unknown model 'nope'; known models: tiny-sd15");
        assertStatus(WireRequests.fixtureRequest(session).setPrompt("a city <lora:nope:0.5>"), Status.Code.NOT_FOUND,
                "prompt: <lora:nope:0.5>: unknown model 'nope'");
    }

    @Test
    void badLoraRequestsAreInvalidArguments() {
        assertStatus(WireRequests.fixtureRequest(session).addLoras(Lora.newBuilder().setId("tiny-lora"))
                .addLoras(Lora.newBuilder().setId("tiny-lora").setWeight(0.5)), Status.Code.INVALID_ARGUMENT,
                "loras[1].id: LoRA 'tiny-lora' is already given by loras[0].id (name each LoRA once)");
        assertStatus(WireRequests.fixtureRequest(session).addLoras(Lora.newBuilder().setId("tiny-lora"))
                .setPrompt("a city <lora:tiny-lora:0.5>"), Status.Code.INVALID_ARGUMENT,
                "prompt: <lora:tiny-lora:0.5>: LoRA 'tiny-lora' is already given by loras[0].id");
        assertStatus(WireRequests.fixtureRequest(session).addLoras(Lora.newBuilder().setId("tiny-sd15")),
                Status.Code.INVALID_ARGUMENT, "loras[0].id: model 'tiny-sd15' is a sd15 model, not a LoRA");
        assertStatus(WireRequests.fixtureRequest(session).addLoras(Lora.newBuilder().setId("")),
                Status.Code.INVALID_ARGUMENT, "loras[0].id: no model id given");
        assertStatus(WireRequests.fixtureRequest(session).addLoras(Lora.newBuilder().setId("tiny-lora").setWeight(11)),
                Status.Code.INVALID_ARGUMENT, "loras[0].weight: 11 is outside -10..10");
        assertStatus(WireRequests.fixtureRequest(session).setPrompt("a city <lora:tiny-lora:strong>"),
                Status.Code.INVALID_ARGUMENT, "prompt: <lora:tiny-lora:strong>: weight 'strong' is not a number");
    }

    private static Result result(GenerateRequest.Builder request) {
        List<JobEvent> events = WireRequests.events(stub.generate(request.build()));
        JobEvent last = events.get(events.size() - 1);
        assertThat(last.hasResult()).isTrue();
        return last.getResult();
    }

    private static void assertStatus(GenerateRequest.Builder request, Status.Code code, String message) {
        assertThatThrownBy(() -> WireRequests.events(stub.generate(request.build())))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(code);
                    assertThat(e.getStatus().getDescription()).startsWith(message);
                });
    }
}
