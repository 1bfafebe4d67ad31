package dev.sluice.fetch;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import reactor.netty.http.HttpResources;

/**
 * Resolves host names with Reactor Netty's shared DNS resolver (the default one of
 * {@link HttpResources}, which an HTTP client without a resolver of its own uses), and takes
 * addresses given as IP literals as they are. So a run that only fetches from literal addresses
 * never has that resolver set up: setting it up (reading the resolver configuration, a resolver and
 * a datagram channel per event loop) took about 30 ms before the first request of every run, on the
 * thread that starts the run. Host names resolve exactly as before, through the same shared resolver
 * and its cache, which outlives a run as it did.
 *
 * <p>{@link #close()} ends this group's use of the shared resolver; the resolver itself belongs to
 * {@link HttpResources}.
 */
final class LazyDns extends AddressResolverGroup<InetSocketAddress> {

    private volatile boolean started;
    private volatile boolean closed;

    /**
     * Tells whether a host name has gone to the DNS resolver.
     *
     * @return true once a host name was resolved
     */
    boolean started() {
        return started;
    }

    /** The shared DNS resolver of {@code executor}'s event loop; looked up each time, as it is replaced when HttpResources is. */
    @SuppressWarnings("unchecked")
    private AddressResolver<InetSocketAddress> dns(EventExecutor executor) {
        if (closed) {
            throw new IllegalStateException("the resolver is closed");
        }
        started = true;
        return ((AddressResolverGroup<InetSocketAddress>) HttpResources.get().getOrCreateDefaultResolver())
                .getResolver(executor);
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Resolver(executor);
    }

    @Override
    public void close() {
        closed = true;
        super.close();
    }

    /** Takes IP literals as they are and hands host names to the DNS resolver of its event loop. */
    private final class Resolver extends AbstractAddressResolver<InetSocketAddress> {

        Resolver(EventExecutor executor) {
            super(executor, InetSocketAddress.class);
        }

        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return !address.isUnresolved();
        }

        @Override
        protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
            InetSocketAddress literal = literal(address);
            if (literal != null) {
                promise.setSuccess(literal);
            } else {
                relay(dns(executor()).resolve(address), promise);
            }
        }

        @Override
        protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
            InetSocketAddress literal = literal(address);
            if (literal != null) {
                promise.setSuccess(List.of(literal));
            } else {
                relay(dns(executor()).resolveAll(address), promise);
            }
        }

        private static InetSocketAddress literal(InetSocketAddress address) {
            InetAddress ip = NetUtil.createInetAddressFromIpAddressString(address.getHostString());
            return ip == null ? null : new InetSocketAddress(ip, address.getPort());
        }

        private static <T> void relay(Future<T> resolved, Promise<T> promise) {
            resolved.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess(resolved.getNow());
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        }

        @Override
        public void close() {
            // the shared DNS resolvers belong to HttpResources
        }
    }
}
