package io.fijigen.engine.cli;

/**
 * The id a command's request names a model by, from what an option said ({@code --model},
 * {@code --controlnet}, {@code --lora} without its weight, {@code --embedding}): on a server, the
 * server's registered id as given; in a local run, the id of the run's own registry ({@link
 * LocalModels}), which holds the folders and files the options named.
 */
@FunctionalInterface
interface ModelIds {
    String of(String given);
}
