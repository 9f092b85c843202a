package io.relaymesh.bench.rooms;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Redis's {@code used_memory} with one {@code INFO memory} over a plain socket. */
final class RedisInfo {
    private static final Pattern USED = Pattern.compile("used_memory:(\\d+)");

    private RedisInfo() {
    }

    /** Bytes Redis uses now, or -1 when it cannot be read. */
    static long usedMemory(String address) {
        int colon = address.lastIndexOf(':');
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.substring(0, colon),
                    Integer.parseInt(address.substring(colon + 1))), 2000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("INFO memory\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder reply = new StringBuilder();
            byte[] buffer = new byte[8192];
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (!reply.toString().contains("used_memory_peak:") && System.nanoTime() < deadline) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                reply.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
            }
            Matcher m = USED.matcher(reply);
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
