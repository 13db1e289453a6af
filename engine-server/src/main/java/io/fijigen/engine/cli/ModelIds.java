package io.fijigen.engine.cli;

/**
 * The ids a command's request names its models by, from what the options said: on a server, the
 * server's registered ids as given; in a local run, the ids of the run's own registry ({@link
 * LocalModels}), which holds the folders and files the options named.
 */
interface ModelIds {
    /** On a server: the options name registered models by id. */
    ModelIds AS_GIVEN = new ModelIds() {
        @Override
        public String model(String given) {
            return given;
        }

        @Override
        public String controlNet(String given) {
            return given;
        }

        @Override
        public String lora(String given) {
            return given;
        }

        @Override
        public String embedding(String given) {
            return given;
        }
    };

    /** {@code --model}. */
    String model(String given);

    /** A {@code --controlnet}. */
    String controlNet(String given);

    /** A {@code --lora}'s file or id, without its weight. */
    String lora(String given);

    /** An {@code --embedding}. */
    String embedding(String given);
}
