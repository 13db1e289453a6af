package io.fijigen.plugin;

import ij.ImagePlus;
import ij.Undo;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.gui.Roi;
import io.fijigen.plugin.client.EngineClient;
import io.fijigen.plugin.client.EngineException;
import io.fijigen.plugin.client.GenerationCancelledException;
import io.fijigen.plugin.layers.LayerInserter;
import io.fijigen.proto.client.JobListener;
import io.fijigen.proto.v1.BatchJob;
import io.fijigen.proto.v1.Result;
import java.awt.Polygon;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/**
 * Live mode's UI-free core: while it is open, every change to an image (its pixels, its selection,
 * the options) sends it again after a short pause — img2img of the image, or inpainting of its
 * selection — and the answer shows as one live layer that replaces the one before.
 *
 * <p>Only the newest state matters: a change cancels the job in flight (its call is closed, which
 * cancels it on the server), and the jobs are sent as interactive jobs of one session, so the engine
 * runs them ahead of other clients' work and drops one still waiting when the next arrives. A
 * change that leaves the pixels, the selection and the options as they were last sent (the live
 * layer's own redraw, say) sends nothing.
 *
 * <p>The live layer is not an edit: it is not in the Info, and Undo does not touch it. {@link
 * #keep} makes it a normal layer (named, recorded, undoable); {@link #close} removes it.
 */
public final class LiveSession implements AutoCloseable {
    /** The live layer's name, while it is live. */
    public static final String LIVE_LAYER = LayerInserter.NAME_PREFIX + "live";
    /** The name the live layer takes when kept. */
    private static final String KEPT_NAME = "fijigen.live.name";

    /** What is sent, and the live layer's timing. */
    public interface Listener {
        /** A new state is on its way; the live layer shows an older one until {@link #updated}. */
        default void sending() {}

        /** The live layer now shows the state sent {@code seconds} ago. */
        void updated(double seconds);

        /** The newest job failed; the live layer stays as it was. */
        void failed(String message);
    }

    /**
     * What live mode sends.
     *
     * @param generation the model, prompt and sampling settings
     * @param strength how far the result may move from the image, (0, 1]
     */
    public record Options(Generation generation, double strength) {
        public Options {
            if (generation == null) {
                throw new IllegalArgumentException("generation settings are required");
            }
            if (!(strength > 0 && strength <= 1)) {
                throw new IllegalArgumentException("strength: " + strength + " is outside (0, 1]");
            }
        }

        /** Inpainting of an area selection, else img2img of the whole image. */
        PlaneJob job(ImagePlus imp) {
            Roi roi = imp.getRoi();
            if (roi != null && roi.isArea()) {
                return InpaintAction.job(InpaintOptions.of(generation).withStrength(strength), imp);
            }
            return GenerateAction.job(GenerateOptions.img2img(generation.modelId(), generation.prompt())
                    .with(generation).withStrength(strength), imp);
        }
    }

    private final EngineClient client;
    private final ImagePlus imp;
    private final Listener listener;
    private final long debounceMillis;
    private final String session = "live " + UUID.randomUUID();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            runnable -> daemon(runnable, "fijigen live timer"));
    private final ExecutorService runner = Executors.newSingleThreadExecutor(
            runnable -> daemon(runnable, "fijigen live jobs"));
    /** Counts the states sent: a job that is not the newest when its turn comes is skipped. */
    private final AtomicLong sent = new AtomicLong();
    private volatile Options options;
    private ScheduledFuture<?> pending;
    private long lastState;
    private ImageRoi live;

    /**
     * A session on {@code imp}; nothing is sent until {@link #changed}.
     *
     * @param client a client of its own: the session cancels whatever job it has in flight
     * @param debounceMillis how long the image must stay unchanged before it is sent
     */
    public LiveSession(EngineClient client, ImagePlus imp, Options options, Listener listener, long debounceMillis) {
        this.client = client;
        this.imp = imp;
        this.options = options;
        this.listener = listener;
        this.debounceMillis = debounceMillis;
    }

    /** New options: the image is sent again with them after the pause. */
    public void setOptions(Options newOptions) {
        options = newOptions;
        changed();
    }

    /** Something may have changed: the image is sent once it stays as it is for the pause. */
    public synchronized void changed() {
        if (pending != null) {
            pending.cancel(false);
        }
        pending = timer.schedule(this::send, debounceMillis, TimeUnit.MILLISECONDS);
    }

    private void send() {
        Options current = options;
        long state = state(current);
        synchronized (this) {
            if (state == lastState) {
                return;
            }
            lastState = state;
        }
        PlaneJob job;
        try {
            job = current.job(imp);
        } catch (IllegalArgumentException e) {
            listener.failed(e.getMessage());
            return;
        }
        long mine = sent.incrementAndGet();
        listener.sending();
        client.cancel();
        long sentAt = System.nanoTime();
        runner.execute(() -> run(interactive(job), mine, sentAt));
    }

    /** The job as an interactive job of this session. */
    private PlaneJob interactive(PlaneJob job) {
        return new PlaneJob(BatchJob.newBuilder().setGenerate(job.request().getGenerate().toBuilder()
                .setInteractive(true).setSession(session)).build(), job.insertion(), job.macro());
    }

    private void run(PlaneJob job, long mine, long sentAt) {
        if (mine != sent.get()) {
            return;
        }
        try {
            Result result = client.generate(job.request().getGenerate(), JobListener.NONE);
            if (mine == sent.get()) {
                show(job, result);
                listener.updated((System.nanoTime() - sentAt) / 1e9);
            }
        } catch (GenerationCancelledException e) {
            // A newer state replaced it.
        } catch (EngineException e) {
            if (mine == sent.get()) {
                listener.failed(e.getMessage());
            }
        }
    }

    /**
     * The result as the live layer, in place of the one before; neither the Info nor Undo sees it
     * (Undo is reset: ImageJ's one undo step cannot skip a layer to reach the edit before it).
     */
    private synchronized void show(PlaneJob job, Result result) throws EngineException {
        String info = imp.getInfoProperty();
        ImageRoi layer = job.insert(result).layer();
        imp.setProperty("Info", info);
        Undo.reset();
        removeLive();
        layer.setProperty(KEPT_NAME, layer.getName());
        layer.setName(LIVE_LAYER);
        live = layer;
        imp.updateAndDraw();
    }

    /** The live layer now; null before the first result, after {@link #keep} and after {@link #close}. */
    public synchronized ImageRoi liveLayer() {
        return live;
    }

    /**
     * Keep: the live layer becomes a normal fijigen layer, named after its prompt and seed, its
     * parameters in the Info; Edit › Undo removes it. The next change makes a new live layer.
     *
     * @return the kept layer; null when there is no live layer yet
     */
    public synchronized ImageRoi keep() {
        ImageRoi kept = live;
        if (kept == null) {
            return null;
        }
        imp.getOverlay().remove(kept);
        kept.setName(kept.getProperty(KEPT_NAME));
        kept.setProperty(KEPT_NAME, null);
        live = null;
        LayerInserter.add(imp, kept);
        String parameters = kept.getProperty(LayerInserter.PARAMETERS_PROPERTY);
        if (parameters != null) {
            LayerInserter.appendInfo(imp, kept.getName() + "\n" + parameters);
        }
        imp.updateAndDraw();
        return kept;
    }

    /** Stops sending, cancels the job in flight and removes the live layer. */
    @Override
    public synchronized void close() {
        sent.incrementAndGet();
        timer.shutdownNow();
        runner.shutdown();
        client.cancel();
        removeLive();
        imp.updateAndDraw();
    }

    private void removeLive() {
        Overlay overlay = imp.getOverlay();
        if (live != null && overlay != null) {
            overlay.remove(live);
        }
        live = null;
    }

    /** A fingerprint of what would be sent: the shown plane's pixels, the selection and the options. */
    private long state(Options current) {
        CRC32 crc = new CRC32();
        crc.update(bytes(imp.getProcessor().getPixels()));
        Roi roi = imp.getRoi();
        Polygon outline = roi == null ? null : roi.getPolygon();
        long selection = outline == null ? 0 : 31L * Arrays.hashCode(outline.xpoints) + Arrays.hashCode(outline.ypoints);
        return crc.getValue() ^ (selection << 32) ^ ((long) current.hashCode() << 16)
                ^ imp.getCurrentSlice();
    }

    private static ByteBuffer bytes(Object pixels) {
        if (pixels instanceof byte[] b) {
            return ByteBuffer.wrap(b);
        }
        if (pixels instanceof short[] s) {
            ByteBuffer buffer = ByteBuffer.allocate(s.length * Short.BYTES);
            buffer.asShortBuffer().put(s);
            return buffer;
        }
        if (pixels instanceof float[] f) {
            ByteBuffer buffer = ByteBuffer.allocate(f.length * Float.BYTES);
            buffer.asFloatBuffer().put(f);
            return buffer;
        }
        int[] argb = (int[]) pixels;
        ByteBuffer buffer = ByteBuffer.allocate(argb.length * Integer.BYTES);
        buffer.asIntBuffer().put(argb);
        return buffer;
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
