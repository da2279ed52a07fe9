package io.csp4j.examples.netty;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.csp4j.Buffers;
import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.netty.NettyChannels;
import io.csp4j.netty.NettyDispatcher;
import io.csp4j.spi.Dispatcher;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.codec.string.StringEncoder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP chat server on Netty. Each connection is two channels, {@code in} (lines received) and
 * {@code out} (lines to send), served by two go blocks started on the connection's own event loop;
 * one hub process broadcasts "alice: hi" to everybody else. The first line a client sends is its
 * name; {@code /quit} leaves. With no arguments: a short scripted demo; {@code --serve [port]} serves.
 */
public final class NettyChat {

    /** One line for the examples list. */
    public static final String DESCRIPTION = "TCP chat on Netty: per-connection in/out channels, go blocks on the connection's event loop";

    /** What connections tell the hub: a join ({@code text == null}), a line said, or a leave. */
    record Event(String name, Chan<String> out, String text, boolean leave) {}

    /** A running server; {@link #close()} stops it and restores the engine's previous dispatcher. */
    public static final class Server implements AutoCloseable {
        final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        final NettyDispatcher dispatcher = NettyDispatcher.over(workers);
        final Dispatcher previous = Csp.useDispatcher(dispatcher);
        final Chan<Event> hub = chan(64);
        /** Steps of connection go blocks that resumed off their connection's event loop (0 in loop mode). */
        final AtomicInteger stepsOffLoop = new AtomicInteger(), steps = new AtomicInteger();
        final Channel listener;
        /** The port it listens on (loopback only). */
        public final int port;

        /** Starts listening on {@code port} of the loopback address (0: any free port). */
        public Server(int port) throws InterruptedException {
            go(() -> { // the hub: the only owner of the member list, so broadcasts never interleave
                Map<Chan<String>, String> members = new LinkedHashMap<>();
                for (Event e; (e = hub.take()) != null; ) {
                    if (e.leave()) {
                        members.remove(e.out());
                        e.out().close(); // the writer drains it, then closes the socket
                    } else if (e.text() == null) {
                        members.put(e.out(), e.name());
                        e.out().put("* welcome " + e.name());
                    }
                    String line = e.leave() ? "* " + e.name() + " left"
                            : e.text() == null ? "* " + e.name() + " joined" : e.name() + ": " + e.text();
                    for (Chan<String> other : members.keySet()) {
                        if (other != e.out()) other.put(line);
                    }
                }
            });
            listener = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(1024), new StringDecoder(UTF_8),
                                    new StringEncoder(UTF_8), new Connection());
                        }
                    }).bind(InetAddress.getLoopbackAddress(), port).sync().channel();
            this.port = ((InetSocketAddress) listener.localAddress()).getPort();
        }

        /** One connection: Netty feeds {@code in}; go blocks on this channel's event loop do the rest. */
        final class Connection extends SimpleChannelInboundHandler<String> {
            final Chan<String> in = chan(Buffers.unbounded()); // Netty's thread must never park
            final Chan<String> out = chan(64);

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                Channel ch = ctx.channel(); // we are on ch's event loop, so go() picks it as the lane
                go(() -> { // reader: name, then lines, until /quit or EOF
                    String name = step(ch, in.take());
                    if (name == null) return;
                    hub.put(new Event(name, out, null, false));
                    for (String line; (line = step(ch, in.take())) != null && !line.equals("/quit"); ) {
                        hub.put(new Event(name, out, line, false));
                    }
                    out.put("* bye " + name);
                    hub.put(new Event(name, out, null, true));
                });
                go(() -> { // writer: every line of out, each write awaited (back-pressure)
                    try {
                        for (String line; (line = step(ch, out.take())) != null; ) {
                            NettyChannels.await(ch.writeAndFlush(line + "\n"));
                        }
                    } finally {
                        ch.close(); // then drain, so the hub never parks on a dead connection
                        while (out.take() != null) { }
                    }
                });
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, String line) {
                in.offer(line.strip()); // unbounded: always accepted
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                in.close(); // the reader sees EOF and leaves
            }

            private <T> T step(Channel ch, T v) {
                steps.incrementAndGet();
                if (!ch.eventLoop().inEventLoop()) stepsOffLoop.incrementAndGet();
                return v;
            }
        }

        @Override
        public void close() {
            hub.close();
            listener.close().syncUninterruptibly();
            Csp.useDispatcher(previous);
            dispatcher.close();
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** No arguments: the scripted demo; {@code --serve [port]}: serve until killed. */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--serve")) {
            Server server = new Server(args.length > 1 ? Integer.parseInt(args[1]) : 4000);
            System.out.println("Chat on 127.0.0.1:" + server.port + " (try: nc 127.0.0.1 " + server.port + ")");
            server.listener.closeFuture().sync();
            return;
        }
        try (Server server = new Server(0);
             ChatClient alice = new ChatClient("alice", server.port); ChatClient bob = new ChatClient("bob", server.port)) {
            alice.say("alice").expect("* welcome alice");
            bob.say("bob").expect("* welcome bob");
            alice.expect("* bob joined").say("hi bob");
            bob.expect("alice: hi bob").say("hello alice");
            alice.expect("bob: hello alice");
            bob.say("/quit").expect("* bye bob").expect(null);
            alice.expect("* bob left").say("/quit").expect("* bye alice").expect(null);
        }
    }
}
