package io.fijigen.engine.server;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandler;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the connections a listening socket has accepted and still holds, and closes each new one
 * beyond a maximum before anything reads from it: the descriptors stay bounded whatever clients do.
 * Goes on the listening channel's pipeline, ahead of the handler that sets up accepted connections.
 */
@ChannelHandler.Sharable
final class OpenConnections extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(OpenConnections.class);

    private final String what;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    /** Logs once per episode of refusals, not once per refused connection (that would flood the log). */
    private final AtomicBoolean refusing = new AtomicBoolean();

    /** @param what what listens, for the log ("engine", "metrics") */
    OpenConnections(String what, int max) {
        this.what = what;
        this.max = max;
    }

    /** Connections accepted and not yet closed. */
    int open() {
        return open.get();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object accepted) {
        Channel connection = (Channel) accepted;
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            // Not registered with an event loop yet: closed directly, as Netty closes one it cannot register.
            connection.unsafe().closeForcibly();
            if (refusing.compareAndSet(false, true)) {
                LOG.warn("{}: {} connections open, the most allowed: closing new ones until some close",
                        what, max);
            }
            return;
        }
        connection.closeFuture().addListener(closed -> {
            if (open.decrementAndGet() < max) {
                refusing.set(false);
            }
        });
        ctx.fireChannelRead(accepted);
    }
}
