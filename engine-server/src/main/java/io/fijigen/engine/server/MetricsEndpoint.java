package io.fijigen.engine.server;

import io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFutureListener;
import io.grpc.netty.shaded.io.netty.channel.ChannelHandlerContext;
import io.grpc.netty.shaded.io.netty.channel.ChannelInitializer;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.SimpleChannelInboundHandler;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.SocketChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpRequest;
import io.grpc.netty.shaded.io.netty.handler.codec.http.FullHttpResponse;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderNames;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpHeaderValues;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpMethod;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpObjectAggregator;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpResponseStatus;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpServerCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.http.HttpVersion;
import io.grpc.netty.shaded.io.netty.handler.codec.http.QueryStringDecoder;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics} over plain HTTP for Prometheus, on its own port; nothing else is served.
 *
 * <p>Non-blocking (Netty, one thread): a client that sends half a request holds no thread, so it
 * delays no other scrape; each connection is closed after one answer or after {@link #DEADLINE},
 * whichever comes first, and at most {@link #MAX_CONNECTIONS} are open. With a token, a scrape
 * must carry it as {@code authorization: Bearer TOKEN} (Prometheus: {@code authorization:
 * credentials_file}); off loopback a token is required, as for the engine.
 */
public final class MetricsEndpoint implements AutoCloseable {
    /** A scrape takes milliseconds; this bounds what a slow or silent client holds. */
    static final Duration DEADLINE = Duration.ofSeconds(5);
    /** Prometheus scrapes one at a time per target; a few servers may watch the same engine. */
    static final int MAX_CONNECTIONS = 16;
    /** A GET has no body; anything longer is refused by the aggregator before it is buffered. */
    private static final int MAX_BODY_BYTES = 1024;

    private final EventLoopGroup loop;
    private final Channel listener;

    private MetricsEndpoint(EventLoopGroup loop, Channel listener) {
        this.loop = loop;
        this.listener = listener;
    }

    /**
     * Binds and starts serving.
     *
     * @param token the bearer token every scrape must send; null: none (loopback only)
     * @throws IllegalArgumentException when {@code host} is not a loopback address and no token is set
     * @throws BindException naming the port, when it is in use
     */
    public static MetricsEndpoint start(String host, int port, String token, ServerMetrics metrics) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress() && token == null) {
            throw new IllegalArgumentException("refusing to serve metrics on " + host + " without a token: anyone"
                    + " who can reach it could read them. Set one with --token-file F, or serve metrics on"
                    + " 127.0.0.1 (--metrics-host)");
        }
        BearerTokenInterceptor authorization = token == null ? null : new BearerTokenInterceptor(token);
        EventLoopGroup loop = new NioEventLoopGroup(1, new DefaultThreadFactory("fijigen-metrics", true));
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .handler(new OpenConnections("metrics", MAX_CONNECTIONS))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel connection) {
                        ScheduledFuture<?> deadline = connection.eventLoop().schedule(
                                () -> connection.close(), DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
                        connection.closeFuture().addListener(closed -> deadline.cancel(false));
                        connection.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY_BYTES),
                                new Scrape(metrics, authorization));
                    }
                });
        try {
            return new MetricsEndpoint(loop, bootstrap.bind(address, port).sync().channel());
        } catch (Exception e) {
            loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            if (e instanceof BindException) {
                BindException inUse = new BindException("metrics port " + port + " on " + host + " is in use: pick"
                        + " another with --metrics-port, or stop what holds it");
                inUse.initCause(e);
                throw inUse;
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("metrics port " + port + " on " + host + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Answers one request and closes the connection: no keep-alive to hold open. */
    private static final class Scrape extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ServerMetrics metrics;
        private final BearerTokenInterceptor authorization;

        Scrape(ServerMetrics metrics, BearerTokenInterceptor authorization) {
            this.metrics = metrics;
            this.authorization = authorization;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (!request.decoderResult().isSuccess()) {
                response = empty(HttpResponseStatus.BAD_REQUEST);
            } else if (authorization != null
                    && !authorization.accepts(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
                response = empty(HttpResponseStatus.UNAUTHORIZED);
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            } else if (!HttpMethod.GET.equals(request.method())
                    || !"/metrics".equals(new QueryStringDecoder(request.uri()).rawPath())) {
                response = empty(HttpResponseStatus.NOT_FOUND);
            } else {
                byte[] body = metrics.text().getBytes(StandardCharsets.UTF_8);
                response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            }
            response.headers()
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                    .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private static FullHttpResponse empty(HttpResponseStatus status) {
            return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        }
    }
}
