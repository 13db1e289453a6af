package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.frame.PlugInFrame;
import io.fijigen.plugin.JobEntry;
import io.fijigen.plugin.JobsModel;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.EventQueue;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.Insets;
import java.awt.Label;
import java.awt.Panel;
import java.awt.Rectangle;
import java.awt.ScrollPane;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The Jobs window (Plugins › fijigen › Jobs, and the Window menu): the session's jobs that are
 * queued or running, each with its step, latest preview and Cancel, and below them the last ones
 * that ended, with their parameters, time and Re-run. One window; a view of the session's
 * {@link JobsModel}, redrawn on the event thread. It opens by itself on the session's first job,
 * unless there is no display or a macro runs in batch mode.
 */
final class JobsWindow extends PlugInFrame {
    static final String TITLE = "fijigen Jobs";
    private static final int WIDTH = 420;
    private static final AtomicBoolean OPENED_ON_FIRST_JOB = new AtomicBoolean();
    /** The window while it is open: opened on the event thread, closed on any (ImageJ closes all on quit). */
    private static volatile JobsWindow instance;

    private final JobsModel model;
    private final Panel content = new Panel(new GridBagLayout());
    private final ScrollPane scroll = new ScrollPane(ScrollPane.SCROLLBARS_AS_NEEDED);
    private final Panel running = section("running");
    private final Panel history = section("history");
    private final Label noneRunning = new Label("no job is queued or running");
    private final Label noneEnded = new Label("no job has ended yet");
    private final Map<Long, JobRow> rows = new HashMap<>();
    private final AtomicBoolean refreshPending = new AtomicBoolean();
    private final Runnable listener = this::refreshLater;

    private JobsWindow(JobsModel model) {
        super(TITLE);
        this.model = model;
        add(content, heading("Queued and running"));
        add(content, running);
        add(content, heading("Recent (last " + JobsModel.HISTORY + ")"));
        add(content, history);
        GridBagConstraints filler = constraints();
        filler.weighty = 1;
        content.add(new Panel(), filler);
        scroll.add(content);
        add(scroll);
        WindowManager.addWindow(this);
        model.addListener(listener);
        refresh();
    }

    /** Shows the window and brings it to the front (the menu command). */
    static void open() {
        EventQueue.invokeLater(() -> showWindow(true));
    }

    /** Shows the window, without taking the focus from the image, the first time a job starts. */
    static void openOnFirstJob() {
        if (GraphicsEnvironment.isHeadless() || Interpreter.isBatchMode()
                || !OPENED_ON_FIRST_JOB.compareAndSet(false, true)) {
            return;
        }
        EventQueue.invokeLater(() -> showWindow(false));
    }

    private static void showWindow(boolean focus) {
        if (instance == null) {
            instance = new JobsWindow(JobsModel.session());
            instance.placeBesideImageJ();
        } else if (!focus) {
            return;
        }
        instance.setAutoRequestFocus(focus);
        instance.setVisible(true);
        instance.toFront();
    }

    @Override
    public void close() {
        model.removeListener(listener);
        if (instance == this) {
            instance = null;
        }
        super.close();
    }

    /**
     * Below ImageJ's bar, at the screen's right edge, or its left one where the right would cover an
     * image window: the job's image stays in sight.
     */
    private void placeBesideImageJ() {
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        ImageJ imagej = IJ.getInstance();
        int top = imagej != null ? imagej.getY() + imagej.getHeight() + 10 : screen.y + 10;
        Rectangle right = new Rectangle(screen.x + screen.width - getWidth() - 10, top, getWidth(), getHeight());
        Rectangle left = new Rectangle(screen.x + 10, top, getWidth(), getHeight());
        setLocation(coversAnImage(right) && !coversAnImage(left) ? left.getLocation() : right.getLocation());
    }

    private static boolean coversAnImage(Rectangle area) {
        int[] ids = WindowManager.getIDList();
        if (ids == null) {
            return false;
        }
        for (int id : ids) {
            ImagePlus imp = WindowManager.getImage(id);
            if (imp != null && imp.getWindow() != null && imp.getWindow().getBounds().intersects(area)) {
                return true;
            }
        }
        return false;
    }

    /** Many events per second while jobs run: one redraw at a time is enough. */
    private void refreshLater() {
        if (refreshPending.compareAndSet(false, true)) {
            EventQueue.invokeLater(() -> {
                refreshPending.set(false);
                refresh();
            });
        }
    }

    private void refresh() {
        List<JobEntry> active = model.active();
        List<JobEntry> ended = model.history();
        boolean resized = fill(running, active, noneRunning) | fill(history, ended, noneEnded);
        Set<Long> shown = new HashSet<>();
        active.forEach(job -> shown.add(job.id()));
        ended.forEach(job -> shown.add(job.id()));
        rows.keySet().retainAll(shown);
        if (resized) {
            fitToContent();
        }
    }

    /**
     * Shows {@code jobs} in {@code section}, each in the row it had before (or a new one).
     *
     * @return whether anything's size changed
     */
    private boolean fill(Panel section, List<JobEntry> jobs, Label none) {
        boolean resized = false;
        List<Component> wanted = new ArrayList<>();
        for (JobEntry job : jobs) {
            JobRow row = rows.computeIfAbsent(job.id(), id -> new JobRow());
            resized |= row.display(job);
            wanted.add(row);
        }
        if (wanted.isEmpty()) {
            wanted.add(none);
        }
        if (!Arrays.asList(section.getComponents()).equals(wanted)) {
            section.removeAll();
            wanted.forEach(row -> add(section, row));
            resized = true;
        }
        return resized;
    }

    /** The content's height, up to most of the screen's (a scroll bar beyond), and at least {@link #WIDTH}. */
    private void fitToContent() {
        if (!isDisplayable()) {
            addNotify(); // the frame's insets need its peer
        }
        Dimension wanted = content.getPreferredSize();
        Insets frame = getInsets();
        Insets pane = scroll.getInsets();
        Rectangle screen = GraphicsEnvironment.getLocalGraphicsEnvironment().getMaximumWindowBounds();
        setSize(Math.max(WIDTH, wanted.width + scroll.getVScrollbarWidth()) + frame.left + frame.right + pane.left
                + pane.right, Math.min(wanted.height + frame.top + frame.bottom + pane.top + pane.bottom,
                screen.height * 3 / 4));
        validate();
    }

    private static Panel section(String name) {
        Panel section = new Panel(new GridBagLayout());
        section.setName(name);
        return section;
    }

    private static Label heading(String text) {
        Label heading = new Label(text);
        heading.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        return heading;
    }

    /** Adds {@code child} below the others, as wide as {@code parent}. */
    private static void add(Panel parent, Component child) {
        parent.add(child, constraints());
    }

    private static GridBagConstraints constraints() {
        GridBagConstraints constraints = new GridBagConstraints();
        constraints.gridx = 0;
        constraints.fill = GridBagConstraints.HORIZONTAL;
        constraints.anchor = GridBagConstraints.NORTH;
        constraints.weightx = 1;
        return constraints;
    }
}
