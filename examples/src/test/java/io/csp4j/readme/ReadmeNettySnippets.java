package io.csp4j.readme;

import static io.csp4j.Csp.go;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.netty.NettyChannels;
import io.csp4j.netty.NettyDispatcher;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.CompletableFuture;

/**
 * The README's Netty snippets, verbatim (see ReadmeSnippets). They need a network peer, so
 * ReadmeTest checks that they compile and agree with the README, and does not run them.
 */
@SuppressWarnings("unused")
final class ReadmeNettySnippets {

    private ReadmeNettySnippets() {}

    /** The logger the snippet calls. */
    interface Log {
        void warn(String message, Throwable error);
    }

    static void overTheApplicationsGroup() {
        // @start region="netty-over"
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        NettyDispatcher dispatcher = NettyDispatcher.over(workers);
        Csp.useDispatcher(dispatcher);
        // ... a go block started from a handler (on a channel's event loop) stays on that loop:
        //     public void channelActive(ChannelHandlerContext ctx) { go(() -> serve(ctx.channel())); }
        dispatcher.close();              // csp4j's timers cancelled; the group keeps running
        workers.shutdownGracefully();    // the application's to do
        // @end
    }

    static void interop(Bootstrap bootstrap, String host, int port, Future<Channel> future, Log log,
                        Chan<String> replies, ChannelHandlerContext ctx, Channel ch, Object msg) {
        // @start region="netty-interop"
        Chan<Channel> accepted = NettyChannels.toChan(future);         // a Future<Channel>: promise channel
        Chan<Channel> logged = NettyChannels.toChan(future, e -> log.warn("connect failed", e));
        go(() -> {
            ChannelFuture connecting = bootstrap.connect(host, port);   // a Future<Void>
            NettyChannels.await(connecting);                           // parks, frees the loop; throws if it failed
            NettyChannels.await(connecting.channel().writeAndFlush("hello\n"));
        });
        Promise<String> next = NettyChannels.toPromise(replies, ctx.executor()); // the channel's next value
        CompletableFuture<Void> written = NettyChannels.toStage(ch.writeAndFlush(msg));
        // @end
    }
}
