package io.relaymesh.bootstrap.config;

import io.relaymesh.domain.model.Names;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Who this pod is on the network: its id (configured, or the host name) and the gRPC address
 * other pods dial (configured, or this host's address and the gRPC port).
 */
final class PodIdentity {
    private static final String FALLBACK_POD_ID = "relaymesh";

    /** The machine (or container) this process runs on. */
    record Host(String name, String address) {

        /** Looks the local host up; falls back to $HOSTNAME and loopback when it cannot be resolved. */
        static Host local() {
            try {
                InetAddress local = InetAddress.getLocalHost();
                return new Host(local.getHostName(), local.getHostAddress());
            } catch (UnknownHostException e) {
                String name = System.getenv("HOSTNAME");
                return new Host(name == null ? "" : name, InetAddress.getLoopbackAddress().getHostAddress());
            }
        }
    }

    private final Supplier<Host> lookup;
    private Host host;

    PodIdentity(Supplier<Host> lookup) {
        this.lookup = lookup;
    }

    /**
     * Replaces every character outside {@code [A-Za-z0-9_-]} with '-' and cuts the result to the
     * longest id the domain accepts, so a host name like {@code web.prod.local} becomes a valid
     * key segment {@code web-prod-local}.
     */
    static String sanitize(String raw) {
        String id = raw.replaceAll("[^A-Za-z0-9_-]", "-");
        id = id.length() > Names.MAX_LENGTH ? id.substring(0, Names.MAX_LENGTH) : id;
        return id.isEmpty() ? FALLBACK_POD_ID : id;
    }

    /** The pod id: {@code configured}, or the host name when empty; sanitized either way. */
    String podId(String configured, List<String> notes) {
        if (configured.isEmpty()) {
            String id = sanitize(host().name());
            notes.add("server.pod_id: not set, using the host name \"" + id + "\"");
            return id;
        }
        String id = sanitize(configured);
        if (!id.equals(configured)) {
            notes.add("server.pod_id: \"" + configured + "\" sanitized to \"" + id
                    + "\" (only A-Z, a-z, 0-9, '_' and '-' are kept)");
        }
        return id;
    }

    /** The gRPC advertise address: {@code configured}, or this host's address with {@code grpcPort}. */
    String advertiseAddress(String configured, int grpcPort, List<String> notes) {
        if (!configured.isEmpty()) {
            return configured;
        }
        String address = HostPort.format(host().address(), grpcPort);
        notes.add("server.grpc_advertise_address: not set, advertising " + address);
        return address;
    }

    // Looked up at most once, and only when a value has to be derived from it.
    private Host host() {
        if (host == null) {
            host = lookup.get();
        }
        return host;
    }
}
