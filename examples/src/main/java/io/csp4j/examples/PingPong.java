package io.csp4j.examples;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.io.PrintStream;

/**
 * Ping-pong, from "Advanced Go Concurrency Patterns" (http://talks.golang.org/2013/advconc.slide#6)
 * and twisted-csp's README: two players hit one ball across an unbuffered table for a second, then
 * the table is closed and each player sees the ball gone.
 *
 * <pre>
 * ping 1
 * pong 2
 * ...
 * pong 10
 * ping Ball's gone
 * pong Ball's gone
 * </pre>
 */
public final class PingPong {

    /** The ball; only the player holding it touches it, so a plain field will do. */
    static final class Ball {
        int hits;
    }

    private PingPong() {}

    static void player(PrintStream out, String name, Chan<Ball> table) {
        while (true) {
            Ball ball = table.take();
            if (ball == null) { // the table is closed
                out.println(name + " Ball's gone");
                return;
            }
            ball.hits++;
            out.println(name + " " + ball.hits);
            sleep(100);
            table.put(ball); // false once the table is closed: the next take says so
        }
    }

    /** Plays one game on {@code out} and returns when both players have left. */
    public static void run(PrintStream out) {
        goFuture(() -> {
            Chan<Ball> table = chan();
            Chan<Void> ping = go(() -> player(out, "ping", table));
            // Go leaves it to chance who gets the ball first; handing it over before pong comes to
            // the table makes ping serve, every time.
            table.put(new Ball());
            Chan<Void> pong = go(() -> player(out, "pong", table));
            sleep(1000);
            table.close(); // game over
            ping.take();   // a process's channel closes when it ends
            pong.take();
        }).join();
    }

    /** Runs the example on {@code System.out}: what {@code ./run NAME [ARGS]} calls. */
    public static void main(String[] args) {
        run(System.out);
    }
}
