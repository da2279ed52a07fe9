package io.csp4j.internal;

import io.csp4j.Buffer;
import java.util.ArrayDeque;

/**
 * The bundled buffers (core.async {@code impl/buffers}). Each is used only under its channel's lock.
 *
 * <pre>
 * kind       full when      on put when full       unblocking
 * Fixed      size == n      (never called)         no
 * Dropping   never          new value dropped      yes
 * Sliding    never          oldest value dropped   yes
 * Unbounded  never          (never full)           yes
 * Promise    never          ignored once set       yes; remove() keeps the value
 * </pre>
 */
public final class ChannelBuffers {

    private ChannelBuffers() {}

    /**
     * A buffer as a channel's {@code toString()} shows it: {@code unbuffered}, {@code fixed 3/8},
     * {@code dropping 0/2}, {@code sliding 2/2}, {@code unbounded 5}, {@code promise set}, or a
     * buffer of the user's as its own {@code toString()} and size.
     */
    static String describe(Buffer<?> buf) {
        if (buf == null) {
            return "unbuffered";
        }
        if (buf instanceof Ring<?> r) {
            String kind = r instanceof Fixed ? "fixed" : r instanceof Dropping ? "dropping" : "sliding";
            return kind + " " + r.size() + "/" + r.limit;
        }
        if (buf instanceof Unbounded<?> u) {
            return "unbounded " + u.size();
        }
        if (buf instanceof Promise<?> p) {
            return p.size() == 0 ? "promise unset" : "promise set";
        }
        return buf + " " + buf.size();
    }

    /** A ring buffer over an array that grows up to {@code limit} (so a big buffer costs nothing until used). */
    abstract static class Ring<T> implements Buffer<T> {
        final int limit;
        private Object[] items;
        private int head;
        private int count;

        Ring(int limit) {
            this.limit = limit;
            this.items = new Object[Math.min(limit, 16)];
        }

        @Override
        public int size() {
            return count;
        }

        final void push(T value) {
            if (count == items.length) {
                grow();
            }
            items[(head + count) % items.length] = value;
            count++;
        }

        @SuppressWarnings("unchecked")
        final T pop() {
            T v = (T) items[head];
            items[head] = null;
            head = (head + 1) % items.length;
            count--;
            return v;
        }

        private void grow() {
            int cap = (int) Math.min((long) items.length * 2, Integer.MAX_VALUE - 8);
            if (limit > 0) {
                cap = Math.min(cap, limit);
            }
            Object[] next = new Object[Math.max(cap, items.length + 1)];
            for (int i = 0; i < count; i++) {
                next[i] = items[(head + i) % items.length];
            }
            items = next;
            head = 0;
        }

        @Override
        public T remove() {
            return pop();
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "(" + count + (limit > 0 ? "/" + limit : "") + ")";
        }
    }

    /** core.async {@code buffer}: parks putters while full. */
    public static final class Fixed<T> extends Ring<T> {
        public Fixed(int n) {
            super(n);
        }

        @Override
        public boolean isFull() {
            return size() >= limit;
        }

        @Override
        public void add(T value) {
            push(value);
        }
    }

    /** core.async {@code dropping-buffer}: a put into a full buffer is accepted and dropped. */
    public static final class Dropping<T> extends Ring<T> {
        public Dropping(int n) {
            super(n);
        }

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public void add(T value) {
            if (size() < limit) {
                push(value);
            }
        }

        @Override
        public boolean isUnblocking() {
            return true;
        }
    }

    /** core.async {@code sliding-buffer}: a put into a full buffer drops the oldest value. */
    public static final class Sliding<T> extends Ring<T> {
        public Sliding(int n) {
            super(n);
        }

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public void add(T value) {
            if (size() == limit) {
                pop();
            }
            push(value);
        }

        @Override
        public boolean isUnblocking() {
            return true;
        }
    }

    /** An unbounded FIFO: never full, drops nothing. */
    public static final class Unbounded<T> implements Buffer<T> {
        private final ArrayDeque<T> items = new ArrayDeque<>();

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public int size() {
            return items.size();
        }

        @Override
        public void add(T value) {
            items.addLast(value);
        }

        @Override
        public T remove() {
            return items.pollFirst();
        }

        @Override
        public boolean isUnblocking() {
            return true;
        }

        @Override
        public String toString() {
            return "Unbounded(" + items.size() + ")";
        }
    }

    /** core.async's promise buffer: the first value is kept forever and given to every taker. */
    public static final class Promise<T> implements Buffer<T> {
        private T value;

        @Override
        public boolean isFull() {
            return false;
        }

        @Override
        public int size() {
            return value == null ? 0 : 1;
        }

        @Override
        public void add(T v) {
            if (value == null) {
                value = v;
            }
        }

        @Override
        public T remove() {
            return value;
        }

        @Override
        public boolean isUnblocking() {
            return true;
        }

        @Override
        public String toString() {
            return value == null ? "Promise(unset)" : "Promise(set)";
        }
    }
}
