package io.relaymesh.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Readiness checks over raw sockets, so the testkit needs no client library: Redis answers
 * {@code PING} with {@code +PONG}; NATS greets every client with an {@code INFO} line that says
 * whether JetStream is on. Each check is bounded by {@link #TIMEOUT_MILLIS} per step.
 */
final class Probes {
    static final int TIMEOUT_MILLIS = 500;
    private static final int MAX_LINE = 8192;

    private Probes() {
    }

    /** Whether a Redis at host:port answers PING with PONG (not LOADING or an error). */
    static boolean redisAnswersPing(String host, int port) {
        try (Socket socket = connect(host, port)) {
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return "+PONG".equals(readLine(socket.getInputStream()));
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Whether a NATS server at host:port greets with INFO and has JetStream enabled. */
    static boolean natsGreetsWithJetStream(String host, int port) {
        String info = natsInfo(host, port);
        return info != null && info.contains("\"jetstream\":true");
    }

    /** The INFO line a NATS server sends on connect, or null when there is none (yet). */
    static String natsInfo(String host, int port) {
        try (Socket socket = connect(host, port)) {
            String line = readLine(socket.getInputStream());
            return line != null && line.startsWith("INFO ") ? line : null;
        } catch (IOException notYet) {
            return null;
        }
    }

    /** Whether anything accepts TCP connections at host:port. */
    static boolean accepts(String host, int port) {
        try (Socket socket = connect(host, port)) {
            return socket.isConnected();
        } catch (IOException refused) {
            return false;
        }
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** One CRLF-terminated line, or null when the peer closes first; bounded in length and by the socket timeout. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < MAX_LINE) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) c);
        }
        return line.toString();
    }
}
