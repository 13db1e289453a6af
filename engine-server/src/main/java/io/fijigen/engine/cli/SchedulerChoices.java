package io.fijigen.engine.cli;

import io.fijigen.engine.schedule.SchedulerKind;
import java.util.Iterator;

/** The names {@code --scheduler} takes, for picocli's help ({@code ${COMPLETION-CANDIDATES}}) and completion. */
final class SchedulerChoices implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return SchedulerKind.ids().iterator();
    }
}
