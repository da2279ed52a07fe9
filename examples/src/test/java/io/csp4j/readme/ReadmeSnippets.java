package io.csp4j.readme;

import static io.csp4j.Csp.*;

import io.csp4j.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The README's snippets about the engine, verbatim: each region between {@code @start} and
 * {@code @end} is a ```java block of README.md (ReadmeTest checks that they agree and runs them,
 * comparing what they print with the ```text block that follows each in the README).
 */
@SuppressWarnings("unused")
final class ReadmeSnippets {

    private ReadmeSnippets() {}

    static void firstProgram() {
        // @start region="first-program"
        Chan<String> c = chan();
        go(() -> {
            for (int i = 0; i < 3; i++) c.put("boring! " + i);   // parks, never blocks a thread
            c.close();
        });
        for (String v : c) System.out.println(v);                 // blocks this thread until c is closed

        Chan<String> slow = go(() -> {
            sleep(1_000);
            return "a late answer";
        });
        AltResult r = alts(slow, timeout(100));                   // Go's select
        if (r.channel() != slow) System.out.println("You're too slow.");
        // @end
    }

    static void puttingTakingChoosing() {
        // @start region="put-take-alts"
        Chan<String> prices = chan(8);
        System.out.println(prices.put("42 EUR"));                 // true: the buffer took it
        AltResult r = alts(prices, timeout(100));
        String price = r.valueAs();                               // not r.value(), which is an Object
        System.out.println(r.from(prices) + " " + price);
        TakeResult<String> next = prices.takeWithin(Duration.ofMillis(50));
        System.out.println(next.isTimedOut() ? "nothing within 50 ms" : "got " + next);
        prices.close();
        System.out.println(prices.put("43 EUR"));                 // false: closed, not delivered
        System.out.println(prices.takeWithin(Duration.ofMillis(50)).isClosed());
        // @end
    }

    /** Holds the instance method of the switch snippet. */
    static final class Orders {
        // @start region="take-result-switch"
        String describe(ReadPort<String> orders) {
            return switch (orders.takeWithin(Duration.ofMillis(100))) {
                case TakeResult.Value<String>(String order) -> "order " + order;
                case TakeResult.Closed<String> closed -> "no more orders";
                case TakeResult.TimedOut<String> late -> "nothing within 100 ms";
            };
        }
        // @end
    }

    static void whenAGoBlockFails() {
        // @start region="go-block-fails"
        Csp.setUncaughtExceptionHandler(e -> System.out.println("reported: " + e.getMessage()));
        Chan<Integer> result = go(() -> Integer.parseInt("ten"));
        System.out.println("result: " + result.take());           // null: closed empty
        CompletableFuture<Integer> f = goFuture(() -> Integer.parseInt("eleven"));
        System.out.println("future: " + f.handle((v, e) -> e.getMessage()).join());
        // @end
    }

    /** Holds the main method of the shutdown snippet. */
    static final class ShuttingDown {
        // @start region="shutdown"
        public static void main(String[] args) {
            System.out.println(go(() -> "work done").take());
            Csp.shutdown();                                       // the lanes and the timer thread end now
        }
        // @end
    }

    static void heartbeat() {}

    static void handle(Object request) {}

    static void altsWithinLoop(ReadPort<String> requests, ReadPort<Boolean> quit) {
        // @start region="alts-within"
        for (;;) {
            AltResult r = altsWithin(Duration.ofSeconds(5), requests, quit);
            if (r.isTimedOut()) { heartbeat(); continue; }   // 5 s without a request
            if (r.from(quit)) break;
            handle(r.value());
        }
        // @end
    }

    static String fetch(String url) {
        return "page " + url;
    }

    static void combinators() {
        // @start region="combinators"
        Chan<String> urls = toChan(List.of("a", "b", "c"));
        Chan<String> pages = chan(16);
        Mult<String> m = mult(pages);                                   // tap before values flow: a mult
        Chan<String> log = tap(m, chan(100));                           // with no tap drops them
        var all = into(new ArrayList<String>(), tap(m, chan(16)));
        pipelineBlocking(8, pages, Xform.map(url -> fetch(url)), urls); // 8 at once, results in order
        System.out.println(all.take());
        // @end
    }
}
