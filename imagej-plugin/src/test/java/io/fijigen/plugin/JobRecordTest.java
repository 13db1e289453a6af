package io.fijigen.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.UnsafeByteOperations;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.GenerateRequest;
import io.fijigen.proto.v1.Result;
import io.fijigen.proto.v1.Tensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's records of whole requests and results, for Reproduce from Info: bounded in count and in bytes. */
class JobRecordTest {
    private static final BatchJob TXT2IMG = BatchJob.newBuilder()
            .setGenerate(GenerateRequest.newBuilder().setModelId("tiny-sd15").setPrompt("a cell")).build();

    @Test
    void theSessionKeepsTheLast32Results() {
        List<JobRecord> records = new ArrayList<>();
        for (int i = 0; i < JobRecord.SESSION_RESULTS + 1; i++) {
            records.add(new JobRecord(TXT2IMG, Result.newBuilder().addSeeds(i).build()));
        }

        assertThat(JobRecord.made(records.get(0).key())).isNull();
        assertThat(JobRecord.made(records.get(1).key()).request().getGenerate().getSeed()).isEqualTo(1);
        assertThat(JobRecord.made(records.get(JobRecord.SESSION_RESULTS).key()).result().getSeeds(0))
                .isEqualTo(JobRecord.SESSION_RESULTS);
    }

    @Test
    void andNoMoreThan256MibOfThem() {
        // Two results of 150 MiB of float output each: the first goes, the latest stays.
        JobRecord first = new JobRecord(TXT2IMG, large(1));
        JobRecord second = new JobRecord(TXT2IMG, large(2));

        assertThat(JobRecord.made(first.key())).isNull();
        assertThat(JobRecord.made(second.key()).result().getSeeds(0)).isEqualTo(2);
        // A small one beside the latest fits.
        JobRecord small = new JobRecord(TXT2IMG, Result.newBuilder().addSeeds(3).build());
        assertThat(JobRecord.made(second.key())).isNotNull();
        assertThat(JobRecord.made(small.key()).result().getSeeds(0)).isEqualTo(3);
    }

    private static Result large(long seed) {
        return Result.newBuilder().addSeeds(seed)
                .setPixels(Tensor.newBuilder().setData(UnsafeByteOperations.unsafeWrap(new byte[150 << 20])))
                .build();
    }
}
