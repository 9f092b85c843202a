package io.relaymesh.adapters.web.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The proxies whose {@code X-Forwarded-For} is believed, as IP addresses and CIDR blocks. The
 * client IP is the direct peer unless that peer is trusted; then it is the nearest address of
 * {@code X-Forwarded-For} (read from the right) that is not itself a trusted proxy. The left-most
 * entry is not used: a client writes whatever it likes there, only the hops our proxies appended
 * can be believed. Empty: {@code X-Forwarded-For} is never read. Immutable, thread-safe.
 */
public final class TrustedProxies {
    /** Longest X-Forwarded-For header read; a longer one is cut (its right end, our proxies' part, is kept). */
    static final int MAX_HEADER_CHARS = 2048;

    private record Block(byte[] network, int prefixBits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = prefixBits;
            for (int i = 0; i < address.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
                if ((address[i] & mask) != (network[i] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Block> blocks;
    private final String text;

    private TrustedProxies(List<Block> blocks, String text) {
        this.blocks = List.copyOf(blocks);
        this.text = text;
    }

    public static TrustedProxies none() {
        return new TrustedProxies(List.of(), "");
    }

    /**
     * Parses a comma-separated list of IP literals and CIDR blocks ({@code 10.0.0.0/8, ::1}).
     *
     * @throws IllegalArgumentException naming the entry that is not an IP or CIDR block
     */
    public static TrustedProxies parse(String list) {
        Objects.requireNonNull(list, "list");
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            String address = slash < 0 ? entry : entry.substring(0, slash);
            byte[] bytes = literal(address);
            if (bytes == null) {
                throw new IllegalArgumentException("\"" + entry + "\" is not an IP address or CIDR block");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("\"" + entry + "\" has a bad prefix length (0-"
                            + bytes.length * 8 + ")");
                }
            }
            blocks.add(new Block(bytes, prefix));
        }
        return new TrustedProxies(blocks, list.strip());
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    public boolean trusts(String ip) {
        byte[] bytes = literal(ip);
        return bytes != null && blocks.stream().anyMatch(b -> b.contains(bytes));
    }

    /**
     * The client's IP: {@code peer} itself unless it is trusted, else the right-most address of
     * {@code forwardedFor} (all X-Forwarded-For values in order) that is not trusted; when all are
     * trusted, the left-most. Entries that are not IP literals stop the walk (a client's garbage).
     */
    public String clientIp(String peer, List<String> forwardedFor) {
        if (blocks.isEmpty() || !trusts(peer) || forwardedFor.isEmpty()) {
            return peer;
        }
        String joined = String.join(",", forwardedFor);
        if (joined.length() > MAX_HEADER_CHARS) {
            joined = joined.substring(joined.length() - MAX_HEADER_CHARS);
        }
        String[] hops = joined.split(",");
        String client = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop) == null) {
                return client;
            }
            client = hop;
            if (!trusts(hop)) {
                return hop;
            }
        }
        return client;
    }

    /** The bytes of an IP literal, or null; never a DNS lookup. */
    static byte[] literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return null;
        }
        boolean v4 = text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
        boolean v6 = text.indexOf(':') >= 0 && text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0);
        if (v4 && text.chars().filter(c -> c == '.').count() != 3) {
            return null;
        }
        if (!v4 && !v6) {
            return null;
        }
        try {
            // Only literals get here, so getByName parses and never resolves.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
