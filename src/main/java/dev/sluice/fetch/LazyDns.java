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
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.NameResolverProvider;

/**
 * Reactor Netty's DNS resolver, made when the first host name has to be resolved. Addresses given as
 * IP literals are taken as they are, so a run that only fetches from literal addresses never sets a
 * DNS resolver up: doing so (reading the resolver configuration, building a resolver and its
 * datagram channel per event loop) took about 30 ms before the first request of every run, on the
 * thread that starts the run. Host names resolve exactly as with Reactor Netty's default resolver.
 *
 * <p>{@link #close()} closes the DNS resolver if it was made.
 */
final class LazyDns extends AddressResolverGroup<InetSocketAddress> {

    private final Object lock = new Object();
    private AddressResolverGroup<InetSocketAddress> dns;
    private boolean closed;

    /**
     * Tells whether the DNS resolver has been made.
     *
     * @return true once a host name was resolved
     */
    boolean started() {
        synchronized (lock) {
            return dns != null;
        }
    }

    private AddressResolverGroup<InetSocketAddress> dns() {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("the resolver is closed");
            }
            if (dns == null) {
                dns = NameResolverProvider.builder().build()
                        .newNameResolverGroup(HttpResources.get(), LoopResources.DEFAULT_NATIVE);
            }
            return dns;
        }
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Resolver(executor);
    }

    @Override
    public void close() {
        super.close();
        synchronized (lock) {
            closed = true;
            if (dns != null) {
                dns.close();
            }
        }
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
                relay(dns().getResolver(executor()).resolve(address), promise);
            }
        }

        @Override
        protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
            InetSocketAddress literal = literal(address);
            if (literal != null) {
                promise.setSuccess(List.of(literal));
            } else {
                relay(dns().getResolver(executor()).resolveAll(address), promise);
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
            // the DNS resolvers are closed with their group
        }
    }
}
