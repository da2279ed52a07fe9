package io.csp4j.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Dispatchers.homeIndex: fixed per thread, spread over the lanes by thread, bad input refused. */
class HomeIndexTest {

    @Test
    void oneThreadAlwaysGetsTheSameHomeAndThreadsSpreadOverEveryLane() throws Exception {
        int home = Dispatchers.homeIndex(4);
        for (int i = 0; i < 100; i++) {
            assertEquals(home, Dispatchers.homeIndex(4));
        }
        Set<Integer> homes = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 64; i++) {
            Thread t = new Thread(() -> {
                int h = Dispatchers.homeIndex(4);
                assertTrue(h >= 0 && h < 4, "index " + h);
                homes.add(h);
            });
            t.start();
            t.join();
        }
        assertEquals(Set.of(0, 1, 2, 3), homes, "64 threads over 4 lanes");
        assertEquals(0, Dispatchers.homeIndex(1));
    }

    @Test
    void fewerThanOneLaneIsRefused() {
        assertEquals("lanes must be at least 1, was 0",
                assertThrows(IllegalArgumentException.class, () -> Dispatchers.homeIndex(0)).getMessage());
    }
}
