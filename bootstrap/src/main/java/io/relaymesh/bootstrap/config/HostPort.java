package io.relaymesh.bootstrap.config;

/** The {@code host:port} form of addresses such as {@code redis:6379} or {@code [::1]:50051}. */
final class HostPort {
    private HostPort() {
    }

    static boolean isValid(String address) {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || address.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        String host = address.substring(0, colon);
        boolean bracketed = host.startsWith("[") && host.endsWith("]") && host.length() > 2;
        if (!bracketed && (host.contains(":") || host.contains("[") || host.contains("]"))) {
            return false; // an IPv6 literal needs brackets, or its colons read as the port
        }
        String port = address.substring(colon + 1);
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int number = Integer.parseInt(port);
        return number >= 1 && number <= 65535;
    }

    /** Joins host and port, bracketing an IPv6 literal. */
    static String format(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
