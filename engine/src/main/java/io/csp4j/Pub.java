package io.csp4j;

import static io.csp4j.Csp.chan;
import static io.csp4j.Csp.go;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/*
 * Overview of implementation (core.async's pub, on the public API)
 *
 * A pub holds one Mult per topic, made on the first sub to that topic, whose source is a channel
 * with the buffer bufFn(topic) gives (none: unbuffered). One routing process:
 *
 *   loop: v = source.take()
 *         null  -> close every topic's channel (each mult then closes its close-flagged subs); end
 *         value -> topic = topicFn(v); if the topic has a mult, put v on its channel (parks: a slow
 *                  topic holds the pub back, as in core.async, unless its buffer absorbs it);
 *                  if that put fails (channel closed by unsubAll(topic)), forget the topic;
 *                  no mult for the topic -> the value is dropped
 *
 * Topics are compared with equals/hashCode. State: a ConcurrentHashMap topic -> Mult (with its
 * channel); sub/unsub are safe from any thread and never wait.
 */

/**
 * Publish/subscribe over a source channel: each value goes to the subscribers of its topic,
 * {@code topicFn(value)}. core.async {@code pub}, {@code sub}, {@code unsub}, {@code unsub-all}.
 *
 * <ul>
 *   <li>Each value goes to every subscriber of its topic and to no other channel; values of a topic
 *       with no subscriber are dropped.</li>
 *   <li>Within a topic it behaves like a {@link Mult}: every subscriber must accept a value before the
 *       next one of that topic goes out; and the pub waits for a topic's channel to accept a value
 *       before routing the next one, so give topics a buffer ({@code bufFn}) to decouple them.</li>
 *   <li>When the source closes, every subscriber added with {@code close = true} is closed.</li>
 * </ul>
 *
 * <p>All methods are thread-safe and never wait. Do not take from the source yourself.
 *
 * {@snippet :
 * Pub<Msg> p = Pub.of(messages, Msg::kind, topic -> Buffers.fixed(16));
 * Chan<Msg> errors = p.sub("error", chan(64));
 * }
 *
 * @param <T> the value type
 */
public final class Pub<T> {

    /** One topic: its channel and the mult over it. */
    private record Topic<T>(Chan<T> channel, Mult<T> mult) {}

    private final ReadPort<? extends T> source;
    private final Function<? super T, ?> topicFn;
    private final Function<Object, ? extends Buffer<T>> bufFn;
    private final Map<Object, Topic<T>> topics = new ConcurrentHashMap<>();
    /** Set once the source closed: a later sub's topic channel is closed at once. */
    private volatile boolean ended;

    private Pub(ReadPort<? extends T> source, Function<? super T, ?> topicFn, Function<Object, ? extends Buffer<T>> bufFn) {
        this.source = source;
        this.topicFn = topicFn;
        this.bufFn = bufFn;
    }

    /** A pub whose topics' channels are unbuffered. See {@link #of(ReadPort, Function, Function)}. */
    public static <T> Pub<T> of(ReadPort<? extends T> source, Function<? super T, ?> topicFn) {
        return of(source, topicFn, topic -> null);
    }

    /**
     * Creates a pub of {@code source} and starts routing its values.
     *
     * @param topicFn gives a value's topic (compared with {@code equals}); must not return {@code null}
     *     or throw (if it does, the pub stops, every subscriber is closed and the exception is reported)
     * @param bufFn gives the buffer of a topic's channel, called once per topic when it is first
     *     subscribed to; {@code null} from it means unbuffered
     * @throws NullPointerException if an argument is null
     */
    public static <T> Pub<T> of(ReadPort<? extends T> source, Function<? super T, ?> topicFn,
                                Function<Object, ? extends Buffer<T>> bufFn) {
        Pub<T> p = new Pub<>(Objects.requireNonNull(source, "source"), Objects.requireNonNull(topicFn, "topicFn"),
                Objects.requireNonNull(bufFn, "bufFn"));
        p.start();
        return p;
    }

    /**
     * Subscribes {@code ch} to {@code topic}; it is closed when the source closes.
     *
     * @return {@code ch}
     */
    public <W extends WritePort<? super T>> W sub(Object topic, W ch) {
        return sub(topic, ch, true);
    }

    /**
     * Subscribes {@code ch} to {@code topic}: it receives every later value whose topic equals
     * {@code topic}.
     *
     * {@snippet :
     * Chan<Msg> audit = p.sub("login", chan(16), false);
     * }
     *
     * @param close whether to close {@code ch} when the source closes
     * @return {@code ch}
     * @throws NullPointerException if {@code topic} or {@code ch} is null
     */
    public <W extends WritePort<? super T>> W sub(Object topic, W ch, boolean close) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ch, "ch");
        Topic<T> t = topics.computeIfAbsent(topic, k -> {
            Buffer<T> b = bufFn.apply(k);
            Chan<T> c = b == null ? chan() : chan(b);
            return new Topic<>(c, Mult.of(c));
        });
        t.mult().tap(ch, close);
        if (ended) {
            // The source is gone. A new topic's mult closes its taps once its channel closes; an old
            // topic's mult has already ended and would never close ch, so close it here too.
            t.channel().close();
            if (close) {
                ch.close();
            }
        }
        return ch;
    }

    /** Unsubscribes {@code ch} from {@code topic}; unknown pairs are ignored. */
    public void unsub(Object topic, WritePort<? super T> ch) {
        Topic<T> t = topic == null ? null : topics.get(topic);
        if (t != null) {
            t.mult().untap(ch);
        }
    }

    /**
     * Unsubscribes every channel from {@code topic} and forgets the topic (its subscribers are not
     * closed). A later {@code sub} starts the topic afresh.
     */
    public void unsubAll(Object topic) {
        Topic<T> t = topic == null ? null : topics.remove(topic);
        if (t != null) {
            t.mult().untapAll();
            t.channel().close();
        }
    }

    /** Unsubscribes every channel from every topic. */
    public void unsubAll() {
        for (Object topic : List.copyOf(topics.keySet())) {
            unsubAll(topic);
        }
    }

    /** The topics that have (or had, until {@code unsubAll}) subscribers, a snapshot. */
    public Set<Object> topics() {
        return Set.copyOf(topics.keySet());
    }

    private void start() {
        go(() -> {
            try {
                for (T v = source.take(); v != null; v = source.take()) {
                    Object topic = Objects.requireNonNull(topicFn.apply(v), "topicFn returned null");
                    Topic<T> t = topics.get(topic);
                    if (t != null && !t.channel().put(v)) {
                        topics.remove(topic, t); // unsubAll(topic) closed it meanwhile
                    }
                }
            } finally {
                ended = true;
                for (Topic<T> t : topics.values()) {
                    t.channel().close();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "Pub[" + source + ", topics=" + topics.keySet() + "]";
    }
}
