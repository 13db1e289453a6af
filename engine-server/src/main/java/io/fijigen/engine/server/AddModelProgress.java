package io.fijigen.engine.server;

import io.fijigen.engine.hub.DownloadListener;
import io.fijigen.proto.v1.AddModelEvent;
import io.fijigen.proto.v1.DownloadProgress;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CancellationException;

/**
 * An AddModel call's download progress as events, and its cancellation as the download's stop. Blocks arrive every few
 * kilobytes: an event per block would be hundreds of thousands for one model, so a file's progress is sent at most
 * every {@link #INTERVAL_NANOS}, and always when a file starts or completes.
 */
final class AddModelProgress implements DownloadListener {
    static final long INTERVAL_NANOS = 100_000_000L;
    private final StreamObserver<AddModelEvent> reply;
    private final Context call;
    private String file;
    private long sentAt;

    /**
     * @param call the call's context, cancelled when the client cancels (before the handler returns, unlike its
     *     observer's handler)
     */
    AddModelProgress(StreamObserver<AddModelEvent> reply, Context call) {
        this.reply = reply;
        this.call = call;
    }

    /** @throws CancellationException the client cancelled: the download stops, its partial file kept for a resume */
    @Override
    public void onBytes(String file, long done, long total) {
        if (call.isCancelled()) {
            throw new CancellationException("the download of " + file + " was cancelled after " + done + " of " + total
                    + " bytes");
        }
        long now = System.nanoTime();
        if (file.equals(this.file) && done < total && now - sentAt < INTERVAL_NANOS) {
            return;
        }
        this.file = file;
        sentAt = now;
        reply.onNext(AddModelEvent.newBuilder()
                .setDownload(DownloadProgress.newBuilder().setFile(file).setBytesDone(done).setBytesTotal(total))
                .build());
    }
}
