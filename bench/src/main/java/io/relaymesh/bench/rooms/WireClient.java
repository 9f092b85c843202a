package io.relaymesh.bench.rooms;

import javax.net.ssl.SSLSocketFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client of the peer rooms for the bench, on a blocking socket (plain or TLS): text
 * frames written through a buffer (so a sender can put many frames in one write), frames read one
 * at a time, pings answered. Writes are serialized; one thread reads. Loopback only.
 */
final class WireClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final byte[] mask = new byte[4];

    private WireClient(Socket socket, String path) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        ThreadLocalRandom.current().nextBytes(mask);
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = line();
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!line().isEmpty()) {
            // headers
        }
    }

    /** Connects to {@code port} on loopback, over TLS when {@code tls} is not null, and upgrades {@code path}. */
    static WireClient connect(int port, String path, SSLSocketFactory tls) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        if (tls != null) {
            javax.net.ssl.SSLSocket secure = (javax.net.ssl.SSLSocket) tls.createSocket(socket, "127.0.0.1", port, true);
            secure.startHandshake();
            socket = secure;
        }
        return new WireClient(socket, path);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Queues one masked text frame (written on {@link #flush} or when the buffer fills). */
    synchronized void queue(byte[] payload) throws IOException {
        out.write(0x81);
        int length = payload.length;
        if (length < 126) {
            out.write(0x80 | length);
        } else if (length < 65536) {
            out.write(0x80 | 126);
            out.write(length >> 8);
            out.write(length & 0xFF);
        } else {
            out.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                out.write((int) ((long) length >> (8 * i)) & 0xFF);
            }
        }
        out.write(mask);
        byte[] masked = new byte[length];
        for (int i = 0; i < length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(masked);
    }

    synchronized void flush() throws IOException {
        out.flush();
    }

    void send(String text) throws IOException {
        queue(text.getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /** The next text frame (pings are answered, pongs skipped); null when the server closed. */
    String readText() throws IOException {
        while (true) {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int opcode = b0 & 0x0F;
            switch (opcode) {
                case 1 -> {
                    return new String(payload, StandardCharsets.ISO_8859_1);
                }
                case 8 -> {
                    return null;
                }
                case 9 -> pong(payload);
                default -> {
                    // pong or continuation: not used by the server
                }
            }
        }
    }

    private synchronized void pong(byte[] payload) throws IOException {
        out.write(0x8A);
        out.write(0x80 | payload.length);
        out.write(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
