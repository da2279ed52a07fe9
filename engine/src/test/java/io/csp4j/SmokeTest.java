package io.csp4j;

import static io.csp4j.Csp.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmokeTest {
    @ParameterizedTest
    @EnumSource(ProcessMode.class)
    void pingPong(ProcessMode mode) {
        useProcessMode(mode);
        Chan<int[]> table = chan();
        Chan<String> log = chan(100);
        for (String name : new String[] {"ping", "pong"}) {
            go(() -> {
                while (true) {
                    int[] ball = table.take();
                    if (ball == null) { log.put(name + " gone"); return; }
                    ball[0]++;
                    log.put(name + " " + ball[0]);
                    sleep(1);
                    table.put(ball);
                }
            });
        }
        table.put(new int[1]);
        for (int i = 0; i < 10; i++) System.out.println(log.take());
        table.close();
        long t0 = System.nanoTime();
        int n = 100_000;
        Chan<Integer> leftmost = chan();
        Chan<Integer> right = leftmost, left = leftmost;
        for (int i = 0; i < n; i++) {
            right = chan();
            Chan<Integer> l = left, r = right;
            go(() -> { l.put(1 + r.take()); });
            left = right;
        }
        Chan<Integer> r = right;
        go(() -> { r.put(1); });
        assertEquals(n + 1, leftmost.take());
        System.out.println(mode + " daisy " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
}
