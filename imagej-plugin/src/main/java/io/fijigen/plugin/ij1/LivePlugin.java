package io.fijigen.plugin.ij1;

import ij.IJ;
import ij.ImageListener;
import ij.ImagePlus;
import ij.WindowManager;
import ij.gui.Roi;
import ij.gui.RoiListener;
import ij.plugin.PlugIn;
import io.fijigen.plugin.Generation;
import io.fijigen.plugin.LiveSession;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.engine.EngineChoice;
import io.fijigen.proto.v1.Capability;
import java.awt.Button;
import java.awt.Choice;
import java.awt.Frame;
import java.awt.GridLayout;
import java.awt.Label;
import java.awt.Panel;
import java.awt.TextField;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import java.util.Locale;

/**
 * Plugins › fijigen › Live...: a panel beside the active image that keeps a live layer on it — the
 * image (or its selection) generated again whenever its pixels, its selection or the panel's
 * fields change ({@link LiveSession}). Steps 0, and the guidance and scheduler it does not ask for,
 * are the model's own (its registry entry's defaults: a few-step model's few steps). Keep turns the
 * live layer into a normal layer; closing the panel (or the image) removes it. The status line says how long the last update took.
 */
public final class LivePlugin implements PlugIn {
    static final String COMMAND = "Live...";
    /** How long the image must stay unchanged before it is sent: a pause in drawing, not a stroke's gaps. */
    static final long DEBOUNCE_MILLIS = 300;

    @Override
    public void run(String arg) {
        ImagePlus imp = WindowManager.getCurrentImage();
        if (imp == null) {
            EngineCommand.report("Live", "Live works on an open image: open one first");
            return;
        }
        EngineClient client;
        try {
            client = new EngineClient(EngineChoice.connection());
        } catch (IllegalArgumentException | IllegalStateException e) {
            EngineCommand.report("Live", e.getMessage());
            return;
        }
        try {
            List<String> models = new ServerModels(client.listModels()).with(Capability.CAPABILITY_IMG2IMG);
            if (models.isEmpty()) {
                throw GenerationFields.noModel("img2img");
            }
            new Window(imp, client, models).setVisible(true);
        } catch (EngineException | IllegalStateException e) {
            client.close();
            EngineCommand.report("Live", e.getMessage());
        }
    }

    /** The panel: the fields, Keep, and the status line; it follows its image until closed. */
    static final class Window extends Frame implements ImageListener, RoiListener, LiveSession.Listener {
        private final ImagePlus imp;
        private final EngineClient client;
        private final Choice model = new Choice();
        private final TextField prompt = new TextField("", 30);
        private final TextField negativePrompt = new TextField("", 30);
        private final TextField strength = new TextField("0.5", 6);
        private final TextField steps = new TextField("0", 6);
        private final TextField seed = new TextField("1", 6);
        private final Label status = new Label("Live: waiting for a change");
        private final LiveSession session;

        Window(ImagePlus imp, EngineClient client, List<String> models) {
            super("fijigen Live: " + imp.getTitle());
            this.imp = imp;
            this.client = client;
            models.forEach(model::add);
            Panel fields = new Panel(new GridLayout(0, 2, 4, 4));
            addField(fields, "Model", model);
            addField(fields, "Prompt", prompt);
            addField(fields, "Negative prompt", negativePrompt);
            addField(fields, "Strength", strength);
            addField(fields, "Steps (0: the model's)", steps);
            addField(fields, "Seed", seed);
            Button keep = new Button("Keep");
            keep.addActionListener(event -> keep());
            Button close = new Button("Close");
            close.addActionListener(event -> dispose());
            fields.add(keep);
            fields.add(close);
            add(fields, "Center");
            add(status, "South");
            model.addItemListener(event -> optionsChanged());
            for (TextField field : List.of(prompt, negativePrompt, strength, steps, seed)) {
                field.addTextListener(event -> optionsChanged());
            }
            addWindowListener(new WindowAdapter() {
                @Override
                public void windowClosing(WindowEvent event) {
                    dispose();
                }
            });
            pack();
            session = new LiveSession(client, imp, options(), this, DEBOUNCE_MILLIS);
            ImagePlus.addImageListener(this);
            Roi.addRoiListener(this);
            session.changed();
        }

        private static void addField(Panel panel, String label, java.awt.Component field) {
            panel.add(new Label(label));
            panel.add(field);
        }

        /** The fields as options; the last valid ones stay while a field is being typed. */
        private LiveSession.Options options() {
            Generation generation = new Generation(model.getSelectedItem(), prompt.getText(), negativePrompt.getText(),
                    Integer.parseInt(steps.getText().strip()), null, Long.parseLong(seed.getText().strip()), "", 1,
                    0, false);
            return new LiveSession.Options(generation, Double.parseDouble(strength.getText().strip()));
        }

        private void optionsChanged() {
            try {
                session.setOptions(options());
            } catch (IllegalArgumentException e) {
                status.setText("Live: " + e.getMessage());
            }
        }

        private void keep() {
            if (session.keep() == null) {
                status.setText("Live: nothing to keep yet");
            }
        }

        @Override
        public void imageUpdated(ImagePlus updated) {
            if (updated == imp) {
                session.changed();
            }
        }

        @Override
        public void imageClosed(ImagePlus closed) {
            if (closed == imp) {
                dispose();
            }
        }

        @Override
        public void imageOpened(ImagePlus opened) {}

        @Override
        public void roiModified(ImagePlus modified, int id) {
            if (modified == imp) {
                session.changed();
            }
        }

        @Override
        public void sending() {
            status.setText("Live: sending…");
        }

        @Override
        public void updated(double seconds) {
            status.setText(String.format(Locale.ROOT, "Live: updated in %.2f s", seconds));
            IJ.showStatus(status.getText());
        }

        @Override
        public void failed(String message) {
            status.setText("Live: " + message);
        }

        @Override
        public void dispose() {
            ImagePlus.removeImageListener(this);
            Roi.removeRoiListener(this);
            session.close();
            client.close();
            super.dispose();
        }
    }
}
