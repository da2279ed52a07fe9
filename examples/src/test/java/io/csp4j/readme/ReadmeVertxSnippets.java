package io.csp4j.readme;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import io.csp4j.Csp;
import io.csp4j.vertx.VertxCsp;
import io.csp4j.vertx.VertxDispatcher;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetSocket;

/**
 * The README's Vert.x snippets, verbatim (see ReadmeSnippets). They need a network peer, so
 * ReadmeTest checks that they compile and agree with the README, and does not run them.
 */
@SuppressWarnings("unused")
final class ReadmeVertxSnippets {

    private ReadmeVertxSnippets() {}

    static void overTheApplicationsVertx() {
        // @start region="vertx-over"
        Vertx vertx = Vertx.vertx();
        VertxDispatcher dispatcher = VertxDispatcher.over(vertx);
        Csp.useDispatcher(dispatcher);

        vertx.deployVerticle(new VerticleBase() {
            @Override
            public Future<?> start() {
                Chan<String> names = chan(16);
                go(() -> {                       // on this verticle's event loop, never blocking it
                    for (String n; (n = names.take()) != null; ) System.out.println("hello " + n);
                });
                return vertx.createHttpServer()
                        .requestHandler(req -> names.putAsync(req.getParam("name", "world"), ok -> req.response().end()))
                        .listen(8080);
            }
        });
        // ...
        dispatcher.close();                      // csp4j's timers cancelled; the Vertx keeps running
        vertx.close();                           // the application's to do
        // @end
    }

    static void interop(HttpServer server, Chan<String> replies, NetSocket socket, Chan<Buffer> out) {
        // @start region="vertx-interop"
        Chan<HttpServer> started = VertxCsp.toChan(server.listen(0));     // promise channel of the value
        Future<String> next = VertxCsp.toFuture(replies);                  // the channel's next value
        Future<Integer> answer = VertxCsp.goFuture(() -> 6 * 7);           // a go block as a Vert.x Future
        go(() -> {
            HttpServer s = VertxCsp.await(server.listen(0));               // parks, frees the event loop
        });
        Chan<Buffer> in = VertxCsp.toChan(socket, 16);                     // ReadStream -> channel
        VertxCsp.pipe(out, socket, true);                                  // channel -> WriteStream
        // @end
    }
}
