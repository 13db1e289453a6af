package io.fijigen.engine.schedule;

/** Checks shared by the stochastic schedulers. */
final class Noise {
    private Noise() {}

    static NoiseSource require(NoiseSource noise, String who) {
        if (noise == null) {
            throw new IllegalArgumentException(who + " draws noise at every step: pass a NoiseSource");
        }
        return noise;
    }
}
