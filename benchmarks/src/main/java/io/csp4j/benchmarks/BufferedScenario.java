package io.csp4j.benchmarks;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelDone;
import io.csp4j.Chan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The body of W2 and W3: {@code producers} send {@code items} values in all ({@code 0..items-1},
 * split evenly) through one buffered channel or queue to {@code consumers}, which add up what they
 * receive. Every variant returns that sum, {@code items * (items - 1) / 2} when nothing is lost or
 * duplicated ({@code items} must be a multiple of {@code producers}).
 *
 * <p>End of stream: csp4j and jox close the channel once the producers are done; JDK queues get
 * one poison value ({@code -1}) per consumer. Thread-safe; each call builds its own channels.
 *
 * {@snippet :
 * long sum = BufferedScenario.csp4j(1_000, 4, 4, 128); // 499_500
 * }
 */
public final class BufferedScenario {

    /** The buffer size of W2 and W3. */
    public static final int CAPACITY = 128;

    private static final Integer POISON = -1;

    private BufferedScenario() {
    }

    /** csp4j: go blocks over {@code chan(capacity)} on the bound dispatcher. */
    public static long csp4j(int items, int producers, int consumers, int capacity) {
        Chan<Integer> ch = chan(capacity);
        int perProducer = items / producers;
        List<Chan<Void>> senders = new ArrayList<>(producers);
        for (int p = 0; p < producers; p++) {
            int base = p * perProducer;
            senders.add(go(() -> {
                for (int i = 0; i < perProducer; i++) {
                    ch.put(base + i);
                }
            }));
        }
        List<Chan<Long>> receivers = new ArrayList<>(consumers);
        for (int c = 0; c < consumers; c++) {
            receivers.add(go(() -> {
                long sum = 0;
                for (Integer v = ch.take(); v != null; v = ch.take()) {
                    sum += v;
                }
                return sum;
            }));
        }
        for (Chan<Void> s : senders) {
            Await.take(s);
        }
        ch.close();
        long total = 0;
        for (Chan<Long> r : receivers) {
            total += Await.take(r);
        }
        return total;
    }

    /** A JDK queue on virtual threads; {@code -1} ends each consumer. */
    public static long queue(BlockingQueue<Integer> q, int items, int producers, int consumers) {
        int perProducer = items / producers;
        AtomicLong total = new AtomicLong();
        List<VirtualThreads.Body> bodies = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            bodies.add(() -> {
                long sum = 0;
                for (Integer v = q.take(); !v.equals(POISON); v = q.take()) {
                    sum += v;
                }
                total.addAndGet(sum);
            });
        }
        bodies.add(() -> {
            List<VirtualThreads.Body> senders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                senders.add(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        q.put(base + i);
                    }
                });
            }
            VirtualThreads.runAll(senders);
            for (int c = 0; c < consumers; c++) {
                q.put(POISON);
            }
        });
        VirtualThreads.runAll(bodies);
        return total.get();
    }

    /** jox {@code newBufferedChannel(capacity)} on virtual threads. */
    public static long jox(int items, int producers, int consumers, int capacity) {
        Channel<Integer> ch = Channel.newBufferedChannel(capacity);
        int perProducer = items / producers;
        AtomicLong total = new AtomicLong();
        List<VirtualThreads.Body> bodies = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            bodies.add(() -> {
                long sum = 0;
                for (Object v = ch.receiveOrClosed(); !(v instanceof ChannelDone); v = ch.receiveOrClosed()) {
                    sum += (Integer) v;
                }
                total.addAndGet(sum);
            });
        }
        bodies.add(() -> {
            List<VirtualThreads.Body> senders = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                senders.add(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        ch.send(base + i);
                    }
                });
            }
            VirtualThreads.runAll(senders);
            ch.done();
        });
        VirtualThreads.runAll(bodies);
        return total.get();
    }
}
