package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.client.ClientChannels;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.JobEvent;
import io.fijigen.proto.v1.Lora;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 malformed or hostile requests over loopback gRPC, drawn from a seeded generator: each is
 * answered with the status its kind calls for, within its deadline, the server never falls over,
 * and a valid request afterwards still returns the reference's pixels.
 */
class HostileRequestsTest {
    private static final int REQUESTS = 10_000;
    private static final long DEADLINE_SECONDS = 10;
    private static final String TOKEN = "fuzz-token";

    @RegisterExtension
    static final ParityFixtures.Session session = new ParityFixtures.Session();
    private static ResidentModels models;
    private static DeviceQueues queues;
    private static EngineServer server;
    private static ManagedChannel channel;
    private static ManagedChannel wrongToken;
    private static ByteString smallPng;

    @BeforeAll
    static void start() throws Exception {
        models = new ResidentModels(new ModelCatalogue(RegistryConfig.read(Path.of("../models-config/demo.yaml"))));
        queues = new DeviceQueues(4);
        server = EngineServer.start(ServerSettings.defaults().withPort(0).withToken(TOKEN),
                new EngineService(models, queues));
        String address = "127.0.0.1:" + server.port();
        channel = ClientChannels.open(address, TOKEN, false, null);
        wrongToken = ClientChannels.open(address, "not-" + TOKEN, false, null);
        smallPng = WireRequests.png(64, 64, 0x808080);
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        wrongToken.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdown();
        queues.close();
        models.close();
    }

    /** Each kind of hostile request and the status it must get. */
    private enum Kind {
        RANDOM_BYTES_AS_PNG(Status.Code.INVALID_ARGUMENT),
        TRUNCATED_PNG(Status.Code.INVALID_ARGUMENT),
        PNG_BOMB(Status.Code.INVALID_ARGUMENT),
        BAD_SIZE(Status.Code.INVALID_ARGUMENT),
        BAD_STEPS(Status.Code.INVALID_ARGUMENT),
        NON_FINITE_GUIDANCE(Status.Code.INVALID_ARGUMENT),
        UNKNOWN_SCHEDULER(Status.Code.INVALID_ARGUMENT),
        HUGE_PROMPT(Status.Code.INVALID_ARGUMENT),
        MASK_SIZE_MISMATCH(Status.Code.INVALID_ARGUMENT),
        DUPLICATE_LORA(Status.Code.INVALID_ARGUMENT),
        UNKNOWN_MODEL(Status.Code.NOT_FOUND),
        WRONG_TOKEN(Status.Code.UNAUTHENTICATED),
        GARBAGE_MESSAGE(Status.Code.INVALID_ARGUMENT);

        final Status.Code expected;

        Kind(Status.Code expected) {
            this.expected = expected;
        }
    }

    @Test
    void everyHostileRequestGetsItsStatusInTimeAndTheServerStillComputesTheReference() throws Exception {
        Random random = new Random(20261202);
        Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
        long slowest = 0;
        long start = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
            long sent = System.nanoTime();
            Status status = send(kind, random);
            long took = System.nanoTime() - sent;
            slowest = Math.max(slowest, took);
            assertThat(status.getCode()).as("request %d (%s): %s", i, kind, status).isEqualTo(kind.expected);
            counts.merge(kind, 1, Integer::sum);
        }
        System.out.printf("hostile requests: %d in %.1f s, slowest answer %.0f ms, by kind %s%n", REQUESTS,
                (System.nanoTime() - start) / 1e9, slowest / 1e6, counts);
        assertThat(slowest).isLessThan(TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS));

        List<JobEvent> events = WireRequests.events(stub(channel).generate(WireRequests.fixtureRequest(session).build()));
        double worst = WireRequests.maxDifference(events.get(events.size() - 1).getResult().getImages(0),
                session.golden("pipe.txt2img.ddim"));
        assertThat(worst).isLessThanOrEqualTo(1 / 255.0);
    }

    @Test
    void theMessagesSayWhatWasWrong() {
        Status truncated = GrpcProbes.failure(() -> WireRequests.events(stub(channel).generate(GenerateRequest.newBuilder()
                .setModelId("tiny-sd15").setInitImage(smallPng.substring(0, smallPng.size() - 6)).build())));
        assertThat(truncated.getDescription()).contains("init_image").contains("truncated PNG");
        Status garbage = GrpcProbes.failure(() -> sendRawBytes(new byte[] {0, 1, 2}));
        assertThat(garbage.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(garbage.getDescription()).contains("fijigen.v1.Engine/Generate").contains("not a valid message");
    }

    @Test
    void oversizedMetadataIsRefusedBeforeAnyCheckRuns() {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("x-padding", Metadata.ASCII_STRING_MARSHALLER), "p".repeat(64 << 10));
        Status status = GrpcProbes.failure(() -> WireRequests.events(stub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .generate(GenerateRequest.newBuilder().setModelId("tiny-sd15").build())));
        // The server advertises its limit in its HTTP/2 settings; grpc-java's client then refuses to send.
        assertThat(status.getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(String.valueOf(status.getCause())).contains("Header size exceeded max allowed size (16384)");
    }

    private static Status send(Kind kind, Random random) throws Exception {
        try {
            if (kind == Kind.GARBAGE_MESSAGE) {
                sendRawBytes(randomBytes(random, 1 + random.nextInt(512)));
            } else {
                ManagedChannel target = kind == Kind.WRONG_TOKEN ? wrongToken : channel;
                WireRequests.events(stub(target).generate(request(kind, random).build()));
            }
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        return Status.OK;
    }

    private static EngineGrpc.EngineBlockingStub stub(ManagedChannel target) {
        return EngineGrpc.newBlockingStub(target).withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    }

    /** A valid small request spoiled in the way {@code kind} says. */
    private static GenerateRequest.Builder request(Kind kind, Random random) throws Exception {
        GenerateRequest.Builder request = GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cat")
                .setSteps(2).setWidth(64).setHeight(64);
        return switch (kind) {
            case RANDOM_BYTES_AS_PNG -> request.setInitImage(ByteString.copyFrom(randomBytes(random,
                    1 + random.nextInt(4096))));
            case TRUNCATED_PNG -> request.setInitImage(smallPng.substring(0, 1 + random.nextInt(smallPng.size() - 1)));
            case PNG_BOMB -> request.setInitImage(ByteString.copyFrom(WireRequests.pngHeader(
                    4097 + random.nextInt(Integer.MAX_VALUE - 4097), 1 + random.nextInt(Integer.MAX_VALUE - 1))));
            case BAD_SIZE -> random.nextBoolean()
                    ? request.setWidth(pick(random, -1 - random.nextInt(Integer.MAX_VALUE - 1), 2048 + 8 * (1 + random.nextInt(1000)),
                            8 * random.nextInt(100) + 1 + random.nextInt(7)))
                    : request.setHeight(pick(random, -1 - random.nextInt(Integer.MAX_VALUE - 1), Integer.MAX_VALUE, 13));
            case BAD_STEPS -> request.setSteps(random.nextBoolean() ? -1 - random.nextInt(Integer.MAX_VALUE - 1)
                    : 151 + random.nextInt(Integer.MAX_VALUE - 151));
            case NON_FINITE_GUIDANCE -> request.setGuidance(new double[] {Double.NaN, Double.POSITIVE_INFINITY,
                    Double.NEGATIVE_INFINITY, 30.5, -0.1, Double.MAX_VALUE}[random.nextInt(6)]);
            case UNKNOWN_SCHEDULER -> request.setScheduler("sched-" + Long.toHexString(random.nextLong()));
            case HUGE_PROMPT -> request.setPrompt("a".repeat(1 << 20));
            case MASK_SIZE_MISMATCH -> request.setInitImage(smallPng).setMask(WireRequests.png(
                    8 * (1 + random.nextInt(7)), 72 + 8 * random.nextInt(8), 0xffffff));
            case DUPLICATE_LORA -> request.addLoras(Lora.newBuilder().setId("tiny-lora"))
                    .addLoras(Lora.newBuilder().setId("tiny-lora").setWeight(random.nextDouble()));
            case UNKNOWN_MODEL -> request.setModelId("model-" + Long.toHexString(random.nextLong()));
            case WRONG_TOKEN -> request;
            case GARBAGE_MESSAGE -> throw new IllegalArgumentException("a garbage message is not a request");
        };
    }

    /** Bytes that are not a GenerateRequest, sent as one: the server cannot parse them. */
    private static void sendRawBytes(byte[] bytes) {
        MethodDescriptor<byte[], byte[]> raw = EngineGrpc.getGenerateMethod().toBuilder(new BytesMarshaller(),
                new BytesMarshaller()).build();
        ClientCalls.blockingServerStreamingCall(channel, raw,
                CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS), bytes).forEachRemaining(b -> { });
    }

    /** Random bytes whose first one makes an invalid protobuf tag (field 0), so no draw parses. */
    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        bytes[0] = (byte) (random.nextInt(8) & 0x07);
        return bytes;
    }

    private static int pick(Random random, int... choices) {
        return choices[random.nextInt(choices.length)];
    }

    private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
