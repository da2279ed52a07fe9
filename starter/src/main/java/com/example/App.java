package com.example;

import static io.csp4j.Csp.*;

import io.csp4j.Chan;
import java.util.List;

/** A csp4j application: a go block greets, main prints what it puts on the channel. */
public final class App {

    /** Greets each name from a go block, then closes the channel. */
    static Chan<String> greetings(List<String> names) {
        Chan<String> out = chan();
        go(() -> {
            for (String name : names) out.put("hello, " + name);  // parks until main takes
            out.close();
        });
        return out;
    }

    public static void main(String[] args) {
        for (String line : greetings(List.of("Go", "core.async", "kotlinx"))) {  // blocks main until closed
            System.out.println(line);
        }
        System.out.println("process mode: " + processMode());  // LOOP when the JVM option is set
    }
}
