package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.csp4j.Csp;
import io.csp4j.ProcessMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppTest {

    @Test
    void greetsEveryNameInOrderThenCloses() {
        List<String> got = new ArrayList<>();
        for (String g : App.greetings(List.of("a", "b", "c"))) got.add(g);
        assertEquals(List.of("hello, a", "hello, b", "hello, c"), got);
    }

    @Test
    void testsRunInLoopMode() {
        assertEquals(ProcessMode.LOOP, Csp.processMode(), "surefire's argLine passes the loop-mode option");
    }
}
