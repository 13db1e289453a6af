package io.fijigen.proto.client;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * Several engine servers as one channel target, {@code static:///host1:port1,host2:port2}, whose
 * calls are spread round-robin over the servers that are up and serving ({@link
 * ClientChannels#SERVICE_CONFIG}). grpc-java has no such resolver
 * built in; {@link #target} registers this one.
 */
public final class StaticTargets extends NameResolverProvider {
    private static final String SCHEME = "static";
    private static final StaticTargets INSTANCE = new StaticTargets();

    static {
        NameResolverRegistry.getDefaultRegistry().register(INSTANCE);
    }

    private StaticTargets() {}

    /** The target for {@link ClientChannels#open}: a server as it is, several as one round-robin target. */
    public static String target(List<String> servers) {
        return servers.size() == 1 ? servers.get(0) : SCHEME + ":///" + String.join(",", servers);
    }

    @Override
    protected boolean isAvailable() {
        return true;
    }

    @Override
    protected int priority() {
        return 5;
    }

    @Override
    public String getDefaultScheme() {
        return SCHEME;
    }

    @Override
    public NameResolver newNameResolver(URI target, NameResolver.Args args) {
        if (!SCHEME.equals(target.getScheme())) {
            return null;
        }
        String servers = target.getPath().substring(1);
        return new NameResolver() {
            @Override
            public String getServiceAuthority() {
                return servers.split(",")[0];
            }

            @Override
            public void start(Listener2 listener) {
                List<EquivalentAddressGroup> addresses = new ArrayList<>();
                try {
                    for (String server : servers.split(",")) {
                        addresses.add(new EquivalentAddressGroup(address(server)));
                    }
                } catch (IllegalArgumentException e) {
                    listener.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
                    return;
                }
                listener.onResult(ResolutionResult.newBuilder()
                        .setAddresses(addresses)
                        .setServiceConfig(args.getServiceConfigParser().parseServiceConfig(ClientChannels.SERVICE_CONFIG))
                        .build());
            }

            @Override
            public void shutdown() {}
        };
    }

    private static SocketAddress address(String server) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("server " + server + " is not HOST:PORT");
        }
        return new InetSocketAddress(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
    }
}
