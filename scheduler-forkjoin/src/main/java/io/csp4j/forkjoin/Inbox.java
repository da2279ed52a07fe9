package io.csp4j.forkjoin;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;

/*
 * A lane's queue of tasks submitted from other threads: an unbounded multi-producer single-consumer
 * linked queue, Dmitry Vyukov's intrusive MPSC node queue with a stub node.
 *
 *   offer (any thread):  prev = tail.getAndSet(n); prev.next = n (release)
 *   drain (lane thread): walk head.next (acquire) until null, handing each task over in order,
 *                        then publish the new head (release) for thieves
 *
 * Invariants: head is only written by the consumer; tail only moves forward, by getAndSet, which is
 * also the full fence that orders "task enqueued" before the producer reads the lane's state
 * (Lane.submit). Between a producer's getAndSet and its link, the consumer sees head.next == null
 * although tail != head: the queue is then non-empty but not yet drainable, and hasItems()
 * (tail != head) says so, so the lane never parks over such a task.
 *
 * The first step of a process spawned from another thread travels as its own node (Unstarted.Start
 * is a Node), so a spawn from main costs one enqueue and touches no line the lane writes per task
 * but the node link. A thief may walk the nodes after the published head (pending()) to find such
 * processes while the lane is held by a task and does not drain; it claims one with a CAS on the
 * Start, never by unlinking it, so the consumer stays the only one that moves head.
 *
 * head and tail sit on different cache lines (the padding classes below): producers write tail on
 * every offer and the consumer writes head on every drain.
 *
 * Notable differences from JCTools' MpscLinkedQueue: no Queue interface, one node per task, a drain
 * straight into the lane's local deque (the only way the consumer takes tasks), and a read-only walk
 * for other threads.
 */
final class Inbox extends InboxTail {

    private static final VarHandle TAIL;
    private static final VarHandle HEAD;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            TAIL = l.findVarHandle(InboxTail.class, "tail", Node.class);
            HEAD = l.findVarHandle(InboxHead.class, "head", Node.class);
            NEXT = l.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One queued task, or (Unstarted.Start) the first step of a process, which has no task here. */
    static class Node {
        Runnable task;
        volatile Node next;

        Node(Runnable task) {
            this.task = task;
        }
    }

    Inbox() {
        Node stub = new Node(null);
        head = stub;
        tail = stub;
    }

    /** Enqueues {@code task}; any thread. A full fence (getAndSet), see the class comment. */
    void offer(Runnable task) {
        enqueue(new Node(task));
    }

    /**
     * Enqueues the first step of a process; any thread. A full fence. Returns whether the queue held
     * a task that the consumer had not drained yet when it went in (only a spawn asks: it reads the
     * head, a line the consumer writes on every drain).
     */
    boolean offer(Unstarted.Start start) {
        return enqueue(start) != (Node) HEAD.getAcquire(this);
    }

    /** Links {@code n} as the newest node and returns the one before it. */
    private Node enqueue(Node n) {
        Node prev = (Node) TAIL.getAndSet(this, n);
        NEXT.setRelease(prev, n);
        return prev;
    }

    /** Whether a task was offered and not drained yet (possibly not linked yet); any thread. */
    boolean hasItems() {
        return tail != (Node) HEAD.getOpaque(this);
    }

    /** Whether a linked task waits to be drained. Lane thread only. */
    boolean hasLinked() {
        return NEXT.getAcquire(head) != null;
    }

    /**
     * The oldest node not drained yet, or null; any thread. The walk from there (following next) may
     * see nodes that the consumer drains meanwhile: their tasks are then handed over or being so.
     */
    Node pending() {
        return (Node) NEXT.getAcquire((Node) HEAD.getAcquire(this));
    }

    /**
     * Moves every linked task to the end of {@code into}, oldest first; the first step of a process
     * (a {@link Unstarted.Start} node) goes to {@code unstarted} with a START marker in {@code into}
     * instead, unless a thief claimed it already. Lane thread only. A task whose producer has not
     * linked it yet stays for the next drain.
     */
    void drainTo(ArrayDeque<Runnable> into, Unstarted unstarted) {
        Node h = head;
        Node n;
        while ((n = (Node) NEXT.getAcquire(h)) != null) {
            if (n instanceof Unstarted.Start s) {
                if (!s.isClaimed()) {
                    unstarted.push(s);
                    into.addLast(Unstarted.START);
                }
            } else {
                into.addLast(n.task);
                n.task = null;
            }
            h = n;
        }
        HEAD.setRelease(this, h);
    }
}

/** The consumer's stub: its successor is the oldest task. Written by the lane thread only. */
abstract class InboxHead {
    Inbox.Node head;
}

/** Keeps {@link InboxHead#head} and {@link InboxTail#tail} on different cache lines. */
@SuppressWarnings("unused")
abstract class InboxPad extends InboxHead {
    long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The newest node; written by getAndSet from any thread. */
abstract class InboxTail extends InboxPad {
    volatile Inbox.Node tail;
}
