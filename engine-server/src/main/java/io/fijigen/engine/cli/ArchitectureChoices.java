package io.fijigen.engine.cli;

import io.fijigen.engine.bench.Architecture;
import java.util.Iterator;

/** The names {@code bench --arch} takes, for picocli's help ({@code ${COMPLETION-CANDIDATES}}) and completion. */
final class ArchitectureChoices implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Architecture.ids().iterator();
    }
}
