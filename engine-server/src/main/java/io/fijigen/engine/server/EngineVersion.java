package io.fijigen.engine.server;

import java.util.Optional;

/** The engine's version: the release its jar's manifest names, or a development build's. */
public final class EngineVersion {
    /** What an engine not run from a release jar (from classes, as in tests) calls itself. */
    public static final String DEVELOPMENT_BUILD = "development build";

    private EngineVersion() {}

    /** The manifest's Implementation-Version, which the build writes into the engine's jar; empty outside one. */
    public static Optional<String> release() {
        return Optional.ofNullable(EngineVersion.class.getPackage().getImplementationVersion());
    }

    /** The release, else {@link #DEVELOPMENT_BUILD}. */
    public static String current() {
        return release().orElse(DEVELOPMENT_BUILD);
    }
}
