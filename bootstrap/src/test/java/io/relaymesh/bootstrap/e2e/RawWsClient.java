package io.relaymesh.bootstrap.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client over a plain socket that does only what a test tells it: it never answers
 * pings, never reads unless asked, and can vanish without a close frame (RST), the way a crashed
 * browser or a dropped network does.
 */
final class RawWsClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    /** Opens the connection and completes the upgrade. */
    RawWsClient(String host, int port, String pathAndQuery) throws IOException {
        this(host, port, pathAndQuery, 0);
    }

    /** As above, with a small receive buffer so that a non-reading client backs up quickly. */
    RawWsClient(String host, int port, String pathAndQuery, int receiveBuffer) throws IOException {
        this(host, port, pathAndQuery, receiveBuffer, null);
    }

    /**
     * As above, from the local address {@code localIp} (another loopback address, e.g. 127.0.0.5,
     * so that per-IP limits see a client of its own), or the default one when null.
     */
    RawWsClient(String host, int port, String pathAndQuery, int receiveBuffer, String localIp) throws IOException {
        this(plainSocket(host, port, receiveBuffer, localIp), host, port, pathAndQuery);
    }

    /** Over TLS ({@code wss://}), with a socket of {@code tls}. */
    RawWsClient(javax.net.ssl.SSLSocketFactory tls, String host, int port, String pathAndQuery) throws IOException {
        this(tls.createSocket(host, port), host, port, pathAndQuery);
    }

    private static Socket plainSocket(String host, int port, int receiveBuffer, String localIp) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (localIp != null) {
            socket.bind(new java.net.InetSocketAddress(localIp, 0));
        }
        socket.connect(new java.net.InetSocketAddress(host, port), 5000);
        return socket;
    }

    private RawWsClient(Socket connected, String host, int port, String pathAndQuery) throws IOException {
        socket = connected;
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: " + host + ":" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = readLine(in);
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!readLine(in).isEmpty()) {
            // skip headers
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** A frame from the server. */
    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads the next frame, whatever it is (text, ping, close). */
    Frame read() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7F;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, payload);
    }

    /** Reads frames until a text frame, skipping pings (which are not answered). */
    String readText() throws IOException {
        while (true) {
            Frame frame = read();
            if (frame.opcode() == 1) {
                return frame.text();
            }
            if (frame.opcode() == 8) {
                throw new IOException("closed by server");
            }
        }
    }

    /** Sends a masked text frame, as clients must. */
    void sendText(String text) throws IOException {
        sendFrame(1, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends one masked, final frame with any opcode (even a reserved one) and payload (even invalid UTF-8). */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        out.write(frameBytes(opcode, payload));
        out.flush();
    }

    /** The bytes of one masked, final client frame. */
    static byte[] frameBytes(int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | (opcode & 0x0F));
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xFF);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /** Writes raw bytes (many frames at once, for floods). */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sets how long a read may block. */
    void readTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    /** Disappears without a close frame: the socket is reset (SO_LINGER 0), as when a client crashes. */
    void vanish() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
