package io.csp4j.examples.netty;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;

/**
 * A blocking line client of {@link NettyChat} on a plain socket, printing the transcript
 * ({@code alice > sent}, {@code alice < received}) to standard output or a given stream. Reads time
 * out after 10 seconds.
 */
final class ChatClient implements AutoCloseable {

    private final String name;
    private final Socket socket;
    private final BufferedReader in;
    private final PrintWriter out;
    /** Where the transcript goes; {@code null} for nowhere. */
    private final PrintStream transcript;

    ChatClient(String name, int port) throws IOException {
        this(name, port, System.out);
    }

    ChatClient(String name, int port, PrintStream transcript) throws IOException {
        this.name = name;
        this.transcript = transcript;
        this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        this.out = new PrintWriter(socket.getOutputStream(), true, UTF_8);
    }

    /** Sends one line. */
    ChatClient say(String line) {
        log(name + " > " + line);
        out.println(line);
        return this;
    }

    /** {@return the next line, or {@code null} once the server closed the connection} */
    String read() throws IOException {
        String got = in.readLine();
        log(name + " < " + (got == null ? "(connection closed)" : got));
        return got;
    }

    /** Reads one line and checks it; {@code null} expects the server to close the connection. */
    ChatClient expect(String line) throws IOException {
        String got = read();
        if (!Objects.equals(line, got)) {
            throw new IllegalStateException(name + " expected " + line + ", got " + got);
        }
        return this;
    }

    private void log(String line) {
        if (transcript != null) transcript.println(line);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
