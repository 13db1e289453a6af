package io.fijigen.engine.runtime;

import ai.djl.pytorch.jni.JniUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's intra-op threads, set once from the processors the JVM may use. OpenMP counts the
 * host's cores, which in a container limited to fewer CPUs oversubscribes them; the JVM's count
 * honours the limit. {@code OMP_NUM_THREADS}, when set, is the user's choice and is left alone.
 */
final class CpuThreads {
    private static final Logger LOG = LoggerFactory.getLogger(CpuThreads.class);
    private static boolean configured;

    private CpuThreads() {}

    /** Called by {@link TorchRuntime} once libtorch is loaded: before that, asking it for threads fails. */
    static synchronized void configure() {
        if (configured) {
            return;
        }
        configured = true;
        if (System.getenv("OMP_NUM_THREADS") != null) {
            return;
        }
        int processors = Runtime.getRuntime().availableProcessors();
        if (JniUtils.getNumThreads() != processors) {
            LOG.info("libtorch intra-op threads {} → {} (the processors this JVM may use)", JniUtils.getNumThreads(),
                    processors);
            JniUtils.setNumThreads(processors);
        }
    }
}
