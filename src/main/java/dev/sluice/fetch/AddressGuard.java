package dev.sluice.fetch;

import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

/**
 * Resolves host names with Reactor Netty's DNS resolver and refuses connections to private,
 * loopback, link-local, unspecified and multicast addresses ({@link HostPolicy#blockPrivate()}).
 * Addresses given as literals are checked as well. A refusal fails the connect with {@link Blocked}.
 */
final class AddressGuard extends AddressResolverGroup<InetSocketAddress> {

    /** A connection refused because of the address its host resolved to. */
    static final class Blocked extends IOException {
        private static final long serialVersionUID = 1L;

        Blocked(String message) {
            super(message);
        }
    }

    private final AddressResolverGroup<InetSocketAddress> dns;

    private AddressGuard(AddressResolverGroup<InetSocketAddress> dns) {
        this.dns = dns;
    }

    /**
     * Creates a guard on Reactor Netty's shared DNS resolver, asked only for host names
     * ({@link LazyDns}); {@link #close()} ends the guard's use of it.
     */
    static AddressGuard create() {
        return new AddressGuard(new LazyDns());
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Checking(executor, dns.getResolver(executor));
    }

    @Override
    public void close() {
        super.close();
        dns.close();
    }

    /** Why {@code address} of {@code host} is refused, or null. */
    static String refusal(String host, InetAddress address) {
        String kind = HostPolicy.privateKind(address);
        if (kind == null) {
            return null;
        }
        String ip = address.getHostAddress();
        return (host.equals(ip) ? ip + " is " : host + " resolves to " + ip + ", ") + kind
                + ", refused by block_private_addresses";
    }

    private record Checking(EventExecutor executor, AddressResolver<InetSocketAddress> dns)
            implements AddressResolver<InetSocketAddress> {

        @Override
        public boolean isSupported(SocketAddress address) {
            return dns.isSupported(address);
        }

        @Override
        public boolean isResolved(SocketAddress address) {
            return false; // literal addresses are checked too
        }

        @Override
        public Future<InetSocketAddress> resolve(SocketAddress address) {
            return resolve(address, executor.newPromise());
        }

        @Override
        public Future<InetSocketAddress> resolve(SocketAddress address, Promise<InetSocketAddress> promise) {
            Promise<List<InetSocketAddress>> all = executor.newPromise();
            all.addListener(f -> {
                if (f.isSuccess()) {
                    promise.trySuccess(all.getNow().get(0));
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            resolveAll(address, all);
            return promise;
        }

        @Override
        public Future<List<InetSocketAddress>> resolveAll(SocketAddress address) {
            return resolveAll(address, executor.newPromise());
        }

        @Override
        public Future<List<InetSocketAddress>> resolveAll(SocketAddress address,
                Promise<List<InetSocketAddress>> promise) {
            InetSocketAddress target = (InetSocketAddress) address;
            if (!target.isUnresolved()) {
                return checked(target.getHostString(), List.of(target), promise);
            }
            dns.resolveAll(target).addListener(f -> {
                if (f.isSuccess()) {
                    @SuppressWarnings("unchecked")
                    List<InetSocketAddress> resolved = (List<InetSocketAddress>) f.getNow();
                    checked(target.getHostString(), resolved, promise);
                } else {
                    promise.tryFailure(f.cause());
                }
            });
            return promise;
        }

        private static Future<List<InetSocketAddress>> checked(String host, List<InetSocketAddress> resolved,
                Promise<List<InetSocketAddress>> promise) {
            for (InetSocketAddress a : resolved) {
                String refusal = refusal(host, a.getAddress());
                if (refusal != null) {
                    promise.tryFailure(new Blocked(refusal));
                    return promise;
                }
            }
            promise.trySuccess(resolved);
            return promise;
        }

        @Override
        public void close() {
            // the group closes the DNS resolvers
        }
    }
}
