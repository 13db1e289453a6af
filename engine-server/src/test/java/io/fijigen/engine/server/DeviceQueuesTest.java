package io.fijigen.engine.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.CancelRequest;
import io.fijigen.proto.v1.EngineGrpc;
import io.fijigen.proto.v1.JobEvent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A job waits only behind jobs on its own model's device. */
class DeviceQueuesTest {

    @Test
    void aGpuJobDoesNotWaitBehindARunningCpuJob(@TempDir Path dir) throws Exception {
        Path registry = dir.resolve("devices.yaml");
        Files.writeString(registry, "roots: [" + ParityFixtures.model("tiny-sd15").getParent() + "]\n"
                + "models:\n"
                + "  - {id: tiny-sd15, kind: sd15, path: tiny-sd15}\n"
                + "  - {id: gpu-sd15, kind: sd15, path: tiny-sd15, device: gpu}\n");
        try (ParityFixtures.Session session = new ParityFixtures.Session();
                LoopbackEngine engine = new LoopbackEngine(registry, 2)) {
            EngineGrpc.EngineBlockingStub stub = EngineGrpc.newBlockingStub(engine.channel);
            Iterator<JobEvent> cpu = stub.generate(WireRequests.fixtureRequest(session).setSteps(150).clearLatents().build());
            String cpuJob = cpu.next().getQueued().getJobId();
            assertThat(cpu.next().hasStarted()).isTrue();

            Iterator<JobEvent> gpu = stub.generate(WireRequests.fixtureRequest(session).setModelId("gpu-sd15").build());
            // Position 0: its own device's queue is empty, whatever runs on the CPU.
            assertThat(gpu.next().getQueued().getPosition()).isZero();
            StatusRuntimeException noGpu = null;
            try {
                gpu.forEachRemaining(event -> { });
            } catch (StatusRuntimeException e) {
                noGpu = e;
            }
            // This machine has no GPU: the job starts at once and fails to load, with a clear status.
            assertThat(noGpu).isNotNull();
            assertThat(noGpu.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(noGpu.getStatus().getDescription()).contains("libtorch sees no GPU");
            assertThat(engine.models.isLoaded("tiny-sd15")).isTrue();

            assertThat(stub.cancel(CancelRequest.newBuilder().setJobId(cpuJob).build()).getCancelled()).isTrue();
        }
    }
}
