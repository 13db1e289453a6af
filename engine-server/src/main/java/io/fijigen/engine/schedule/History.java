package io.fijigen.engine.schedule;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The last few arrays a multistep scheduler keeps between steps (model outputs, derivatives),
 * newest first, in a manager of their own; an array pushed out is closed at once.
 */
final class History {
    private final int capacity;
    private final Deque<NDArray> entries = new ArrayDeque<>();
    private NDManager manager;

    History(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Makes the history's manager a child of the job's {@code owner} (the sample's manager, taken
     * before a step scope borrows the sample), so it lives as long as the job's arrays.
     */
    void open(NDManager owner) {
        if (manager == null) {
            manager = owner.newSubManager();
        }
    }

    /** Takes ownership of {@code array} (moves it to the history's manager). */
    void push(NDArray array) {
        if (manager == null) {
            throw new IllegalStateException("history not opened");
        }
        array.attach(manager);
        entries.addFirst(array);
        while (entries.size() > capacity) {
            entries.removeLast().close();
        }
    }

    /** The entry pushed {@code age} steps ago (0 = newest). */
    NDArray get(int age) {
        Iterator<NDArray> it = entries.iterator();
        for (int i = 0; i < age; i++) {
            it.next();
        }
        return it.next();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    int size() {
        return entries.size();
    }

    NDArray[] all() {
        return entries.toArray(new NDArray[0]);
    }

    void clear() {
        entries.forEach(NDArray::close);
        entries.clear();
    }
}
