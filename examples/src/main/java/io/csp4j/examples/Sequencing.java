package io.csp4j.examples;

import static io.csp4j.Csp.*;
import static io.csp4j.examples.BoringMultiplexing.fanIn;

import io.csp4j.Chan;
import java.io.PrintStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Restoring sequencing, from "Go Concurrency Patterns"
 * (http://talks.golang.org/2012/concurrency.slide#29): each message carries a channel to wait on,
 * so after a fan-in main can make both speakers take turns again: one Joe and one Ann per round.
 *
 * <pre>
 * Joe: 0
 * Ann: 0
 * Ann: 1
 * Joe: 1
 * ...
 * You're both boring; I'm leaving.
 * </pre>
 */
public final class Sequencing {

    /** A message, and the channel its sender waits on before it goes on. */
    record Message(String str, Chan<Boolean> await) {}

    private Sequencing() {}

    static Chan<Message> boring(String msg) {
        Chan<Message> c = chan();
        Chan<Boolean> waitForIt = chan(); // shared by all messages of this speaker
        go(() -> {
            for (int i = 0; ; i++) {
                c.put(new Message(msg + ": " + i, waitForIt));
                sleep(ThreadLocalRandom.current().nextInt(1000));
                waitForIt.take();
            }
        });
        return c;
    }

    /** Runs the example, printing to {@code out}; returns when it is over. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<Message> c = fanIn(boring("Joe"), boring("Ann"));
            for (int i = 0; i < 5; i++) {
                Message msg1 = c.take();
                out.println(msg1.str());
                Message msg2 = c.take();
                out.println(msg2.str());
                msg1.await().put(true);
                msg2.await().put(true);
            }
            out.println("You're both boring; I'm leaving.");
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
