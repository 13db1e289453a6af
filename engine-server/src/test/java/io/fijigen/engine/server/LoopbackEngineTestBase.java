package io.fijigen.engine.server;

import io.fijigen.engine.ParityFixtures;
import io.fijigen.proto.v1.EngineGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * For a test class of the Engine service: the demo registry served on loopback (two workers) for
 * the whole class, a blocking stub of it, and the parity goldens.
 */
abstract class LoopbackEngineTestBase {
    static ParityFixtures.Session session;
    static LoopbackEngine engine;
    static EngineGrpc.EngineBlockingStub stub;

    @BeforeAll
    static void startEngine() throws Exception {
        session = new ParityFixtures.Session();
        engine = new LoopbackEngine(2);
        stub = EngineGrpc.newBlockingStub(engine.channel);
    }

    @AfterAll
    static void stopEngine() throws Exception {
        engine.close();
        session.close();
    }
}
