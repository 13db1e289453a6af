package io.fijigen.engine.server;

/** A kind of job a registered model can run; the server offers a model only for these. */
public enum Capability {
    TXT2IMG,
    IMG2IMG,
    INPAINT,
    CONTROLNET,
    UPSCALE
}
