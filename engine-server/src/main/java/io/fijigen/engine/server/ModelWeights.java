package io.fijigen.engine.server;

import io.fijigen.proto.v1.WeightFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registered models' weight files as the wire describes them ({@code WeightFile}: path from the model's folder,
 * size, SHA-256): in ListModels with the hashes computed so far, in a result's provenance each hashed.
 */
final class ModelWeights {
    private static final Logger LOG = LoggerFactory.getLogger(ModelWeights.class);

    @FunctionalInterface
    private interface Hash {
        Optional<WeightHashFile.Entry> of(Path file) throws IOException;
    }

    private final ModelCatalogue catalogue;

    ModelWeights(ModelCatalogue catalogue) {
        this.catalogue = catalogue;
    }

    /**
     * Queues every registered model's weight files for the background thread, as the server starts, so that its
     * first results need not wait for their hashes. A model whose files cannot be listed now is skipped: its jobs
     * and ListModels say why.
     */
    void hashAllInBackground() {
        for (ModelEntry entry : catalogue.entries()) {
            try {
                catalogue.weightFiles(entry.id()).values().forEach(catalogue.hashes()::hashInBackground);
            } catch (IOException | RuntimeException e) {
                LOG.debug("model {}: its weight files are not hashed: {}", entry.id(), e.getMessage());
            }
        }
    }

    /** As ListModels reports them: the hashes known now; the others empty, and queued to be computed. */
    List<WeightFile> listed(String id) throws IOException {
        return files(id, catalogue.hashes()::computed);
    }

    /** As a result's provenance records them: every hash, computed now where it is not known yet. */
    List<WeightFile> hashed(String id) throws IOException {
        return files(id, file -> Optional.of(catalogue.hashes().hashed(file)));
    }

    private List<WeightFile> files(String id, Hash hash) throws IOException {
        Map<String, Path> files = catalogue.weightFiles(id);
        List<WeightFile> listed = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> file : files.entrySet()) {
                Optional<WeightHashFile.Entry> hashed = hash.of(file.getValue());
                listed.add(WeightFile.newBuilder()
                        .setPath(file.getKey())
                        .setSha256(hashed.map(WeightHashFile.Entry::sha256).orElse(""))
                        .setSize(hashed.isPresent() ? hashed.get().size() : Files.size(file.getValue()))
                        .build());
            }
        } catch (IOException e) {
            throw ModelFilesException.of(id, catalogue.path(id), e);
        }
        return listed;
    }
}
