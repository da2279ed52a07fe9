package io.csp4j.forkjoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/*
 * A lane's queue of tasks submitted from other threads: an unbounded multi-producer single-consumer
 * linked queue, Dmitry Vyukov's intrusive MPSC node queue with a stub node.
 *
 *   offer (any thread):  n = new Node(task); prev = tail.getAndSet(n); prev.next = n (release)
 *   drain (lane thread): walk head.next (acquire) until null, handing each task over in order
 *
 * Invariants: head is only read and written by the consumer; tail only moves forward, by
 * getAndSet, which is also the full fence that orders "task enqueued" before the producer reads
 * the lane's state (Lane.execute). Between a producer's getAndSet and its link, the consumer sees
 * head.next == null although tail != head: the queue is then non-empty but not yet drainable, and
 * hasItems() (tail != head) says so, so the lane never parks over such a task.
 *
 * Notable differences from JCTools' MpscLinkedQueue: no Queue interface, one node per task, and a
 * drain straight into the lane's local deque (the only way the consumer takes tasks).
 */
final class Inbox {

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(Inbox.class, "tail", Node.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        Runnable task;
        volatile Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    /** The consumer's stub: its successor is the oldest task. Lane thread only. */
    private Node head;
    /** The newest node; written by getAndSet from any thread. */
    private volatile Node tail;

    Inbox() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    /** Enqueues {@code task}; any thread. A full fence (getAndSet), see the class comment. */
    void offer(Runnable task) {
        Node n = new Node(task);
        Node prev = (Node) TAIL.getAndSet(this, n);
        NEXT.setRelease(prev, n);
    }

    /** Whether a task was offered and not drained yet (possibly not linked yet); any thread. */
    boolean hasItems() {
        return tail != head;
    }

    /**
     * Moves every linked task to the end of {@code into}, oldest first. Lane thread only. A task
     * whose producer has not linked it yet stays for the next drain.
     */
    void drainTo(ArrayDeque<Runnable> into) {
        Node h = head;
        Node n;
        while ((n = (Node) NEXT.getAcquire(h)) != null) {
            into.addLast(n.task);
            n.task = null;
            h = n;
        }
        head = h;
    }
}
