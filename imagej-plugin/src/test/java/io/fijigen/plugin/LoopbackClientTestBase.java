package io.fijigen.plugin;

import io.fijigen.plugin.client.EngineClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** For a test class of the plugin's actions: a {@link LoopbackServer} for the whole class and a client of it. */
public abstract class LoopbackClientTestBase extends LoopbackServerTestBase {
    protected static EngineClient client;

    @BeforeAll
    static void openClient() {
        client = new EngineClient(server.connection());
    }

    @AfterAll
    static void closeClient() throws Exception {
        client.close();
    }
}
