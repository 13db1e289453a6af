package io.fijigen.proto.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServiceDescriptor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EngineProtoTest {

    @Test
    void generateRequestSurvivesTheWire() throws Exception {
        float[] values = {0.5f, -1.25f, 3.0f, 1e-3f};
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            bytes.putFloat(value);
        }
        GenerateRequest request = GenerateRequest.newBuilder()
                .setModelId("sd15")
                .setPrompt("a lighthouse at dusk")
                .setNegativePrompt("blurry")
                .setSeed(42)
                .setSteps(20)
                .setGuidance(0.0)
                .setScheduler("euler_a")
                .setWidth(512)
                .setHeight(384)
                .setInitImage(ByteString.copyFrom(new byte[] {(byte) 0x89, 'P', 'N', 'G'}))
                .setPasteBack(false)
                .addControls(ControlUnit.newBuilder()
                        .setModelId("controlnet-canny")
                        .setCannyFromInit(CannyThresholds.newBuilder().setLow(50).setHigh(150))
                        .setScale(0.7)
                        .setGuessMode(true)
                        .setEnd(0.8))
                .addLoras(Lora.newBuilder().setId("detail").setWeight(0.6))
                .setLatents(Tensor.newBuilder().addAllShape(java.util.List.of(1L, 1L, 2L, 2L))
                        .setData(ByteString.copyFrom(bytes.array())))
                .setPreviewEvery(5)
                .build();

        GenerateRequest parsed = GenerateRequest.parseFrom(request.toByteArray());

        assertThat(parsed).isEqualTo(request);
        assertThat(parsed.getModelId()).isEqualTo("sd15");
        assertThat(parsed.getSeed()).isEqualTo(42);
        assertThat(parsed.hasGuidance()).as("an explicit 0 guidance is kept apart from unset").isTrue();
        assertThat(parsed.getGuidance()).isZero();
        assertThat(parsed.hasStrength()).isFalse();
        assertThat(parsed.hasPasteBack()).isTrue();
        assertThat(parsed.getPasteBack()).isFalse();
        assertThat(parsed.hasMaskBlur()).isFalse();

        ControlUnit unit = parsed.getControls(0);
        assertThat(unit.getModelId()).isEqualTo("controlnet-canny");
        assertThat(unit.getSourceCase()).isEqualTo(ControlUnit.SourceCase.CANNY_FROM_INIT);
        assertThat(unit.getCannyFromInit().getLow()).isEqualTo(50);
        assertThat(unit.getCannyFromInit().getHigh()).isEqualTo(150);
        assertThat(unit.getImage()).isEmpty();
        assertThat(unit.getScale()).isEqualTo(0.7);
        assertThat(unit.getGuessMode()).isTrue();
        assertThat(unit.getStart()).isZero();
        assertThat(unit.getEnd()).isEqualTo(0.8);
        assertThat(parsed.getLoras(0).getId()).isEqualTo("detail");
        assertThat(parsed.getLoras(0).getWeight()).isEqualTo(0.6);

        assertThat(parsed.hasLatents()).isTrue();
        assertThat(parsed.getLatents().getShapeList()).containsExactly(1L, 1L, 2L, 2L);
        ByteBuffer data = parsed.getLatents().getData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        float[] read = new float[values.length];
        data.asFloatBuffer().get(read);
        assertThat(read).containsExactly(values);
    }

    @Test
    void choosingAControlImageClearsTheCannySource() {
        ControlUnit unit = ControlUnit.newBuilder()
                .setCannyFromInit(CannyThresholds.getDefaultInstance())
                .setImage(ByteString.copyFromUtf8("png"))
                .build();
        assertThat(unit.getSourceCase()).isEqualTo(ControlUnit.SourceCase.IMAGE);
        assertThat(unit.hasCannyFromInit()).isFalse();
        assertThat(ControlUnit.getDefaultInstance().getSourceCase()).isEqualTo(ControlUnit.SourceCase.SOURCE_NOT_SET);
    }

    @Test
    void unsetOptionalFieldsReadAsUnset() {
        GenerateRequest empty = GenerateRequest.getDefaultInstance();
        assertThat(empty.hasSeed()).isFalse();
        assertThat(empty.hasPasteBack()).isFalse();
        assertThat(empty.hasGuidance()).isFalse();
        assertThat(empty.hasLatents()).isFalse();
        assertThat(UpscaleRequest.getDefaultInstance().getFactor()).isZero();
    }

    @Test
    void jobEventsAreOneOfFour() throws Exception {
        JobEvent event = JobEvent.newBuilder()
                .setResult(Result.newBuilder()
                        .addImages(Image.newBuilder().setWidth(512).setHeight(384))
                        .addSeeds(42)
                        .setElapsedSeconds(1.5)
                        .setParameters("a lighthouse\nSteps: 20"))
                .build();
        JobEvent parsed = JobEvent.parseFrom(event.toByteArray());
        assertThat(parsed.getEventCase()).isEqualTo(JobEvent.EventCase.RESULT);
        assertThat(parsed.getResult().getImages(0).getHeight()).isEqualTo(384);
        assertThat(parsed.getResult().getSeedsList()).containsExactly(42L);
        assertThat(JobEvent.EventCase.values()).extracting(Enum::name)
                .containsExactlyInAnyOrder("QUEUED", "STARTED", "PROGRESS", "RESULT", "EVENT_NOT_SET");
    }

    @Test
    void serviceListsItsMethodsWithTheirStreamingKinds() {
        ServiceDescriptor service = EngineGrpc.getServiceDescriptor();
        assertThat(service.getName()).isEqualTo("fijigen.v1.Engine");
        Map<String, MethodType> kinds = service.getMethods().stream()
                .collect(Collectors.toMap(MethodDescriptor::getBareMethodName, MethodDescriptor::getType));
        assertThat(kinds).containsOnly(
                Map.entry("ListModels", MethodType.UNARY),
                Map.entry("Generate", MethodType.SERVER_STREAMING),
                Map.entry("Upscale", MethodType.SERVER_STREAMING),
                Map.entry("Batch", MethodType.BIDI_STREAMING),
                Map.entry("Canny", MethodType.UNARY),
                Map.entry("Cancel", MethodType.UNARY),
                Map.entry("AddModel", MethodType.SERVER_STREAMING),
                Map.entry("RemoveModel", MethodType.UNARY));
    }
}
