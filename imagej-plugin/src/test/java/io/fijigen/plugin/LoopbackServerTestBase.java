package io.fijigen.plugin;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** For a test class that talks to an engine: a {@link LoopbackServer}, without a token, for the whole class. */
public abstract class LoopbackServerTestBase {
    protected static LoopbackServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new LoopbackServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }
}
