package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import java.io.PrintStream;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Feed subscriptions, from "Advanced Go Concurrency Patterns" (http://talks.golang.org/2013/advconc.slide):
 * each subscription is one for-select loop that fetches (fake feeds that repeat old items), drops the
 * items it has seen, keeps at most 10 pending, and turns a case off by selecting on a null channel
 * (Go's nil channel); three of them are merged and closed after 3 seconds (the argument, in ms).
 */
public final class FeedMerge {

    record Item(String channel, String title, String guid) {
        static final Item ZERO = new Item("", "", ""); // Go's zero value: never sent, a null channel is never ready
    }

    record Fetched(List<Item> items, long nextNanos) {}

    interface Subscription {
        Chan<Item> updates(); // closed once the subscription is

        void close();         // returns when the subscription's processes are done
    }

    /** A fake feed: each fetch adds one item and returns all so far; the next one may start in 0 to 2 s. */
    static Fetched fetch(String channel, List<Item> items) {
        sleep(ThreadLocalRandom.current().nextInt(100)); // the network
        String title = "Item " + items.size();
        items.add(new Item(channel, title, channel + "/" + title));
        return new Fetched(List.copyOf(items), System.nanoTime() + ThreadLocalRandom.current().nextInt(5) * 500_000_000L);
    }

    static Subscription subscribe(String channel) {
        Chan<Item> updates = chan();
        Chan<Chan<Void>> closing = chan();
        go(() -> {
            List<Item> feed = new ArrayList<>();
            Chan<Fetched> fetchDone = null; // non-null while a fetch is running
            Deque<Item> pending = new ArrayDeque<>();
            Set<String> seen = new HashSet<>();
            long next = System.nanoTime();
            while (true) {
                Chan<Object> startFetch = null; // null: this case is off
                if (fetchDone == null && pending.size() < 10) {
                    startFetch = timeout(Duration.ofNanos(Math.max(0, next - System.nanoTime())));
                }
                Chan<Item> out = pending.isEmpty() ? null : updates;
                Item first = pending.isEmpty() ? Item.ZERO : pending.peekFirst();
                AltResult r = alts(takeOp(startFetch), takeOp(fetchDone), takeOp(closing), putOp(out, first));
                if (r.from(startFetch)) {
                    Chan<Fetched> done = fetchDone = chan(1);
                    go(() -> { done.put(fetch(channel, feed)); });
                } else if (r.from(fetchDone)) {
                    Fetched fetched = r.valueAs();
                    fetchDone = null;
                    next = fetched.nextNanos();
                    for (Item item : fetched.items()) {
                        if (seen.add(item.guid())) pending.add(item);
                    }
                } else if (r.from(closing)) {
                    updates.close();
                    r.<Chan<Void>>valueAs().close(); // the reply: done, no error
                    return;
                } else {
                    pending.removeFirst(); // first went out on updates
                }
            }
        });
        return new Subscription() {
            public Chan<Item> updates() { return updates; }

            public void close() { Chan<Void> reply = chan(); closing.put(reply); reply.take(); }
        };
    }

    static Subscription merge(Subscription... subs) {
        Chan<Item> updates = chan();
        Chan<Void> quit = chan();
        Chan<Boolean> closed = chan();
        for (Subscription s : subs) {
            go(() -> {
                while (true) {
                    AltResult r = alts(takeOp(s.updates()), takeOp(quit));
                    if (!r.from(quit)) r = alts(putOp(updates, r.<Item>valueAs()), takeOp(quit));
                    if (r.from(quit)) { s.close(); closed.put(true); return; }
                }
            });
        }
        return new Subscription() {
            public Chan<Item> updates() { return updates; }

            public void close() { quit.close(); for (var s : subs) closed.take(); updates.close(); }
        };
    }

    /** Runs the example with the given setting, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out, long millis) {
        goFuture(() -> {
            Subscription merged = merge(subscribe("blog.golang.org"), subscribe("googleblog.blogspot.com"),
                    subscribe("googledevelopers.blogspot.com"));
            Chan<Void> closer = go(() -> { sleep(millis); merged.close(); out.println("closed"); });
            for (Item it; (it = merged.updates().take()) != null; ) out.println(it.channel() + " " + it.title());
            closer.take();
        }).join();
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) { run(out, 3000); }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) { run(System.out, args.length > 0 ? Long.parseLong(args[0]) : 3000); }
}
