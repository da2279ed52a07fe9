package io.csp4j.internal;

import io.csp4j.ProcessInfo;
import io.csp4j.ProcessMode;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live processes, for the dump ({@code io.csp4j.Diagnostics}) and the leak report: a process
 * whose channels nobody can reach any more can never resume, and is reported once, as Go reports
 * "all goroutines are asleep".
 *
 * <p>Overview. Each process that has parked at least once has an {@link Entry}: a
 * {@link WeakReference} to the process, so the registry never keeps a process alive (a loop-mode
 * process parked on an unreachable channel is garbage, as before). The entries form a lock-free
 * stack: {@link #register} pushes with one compare-and-set on {@link #head}; only the watchdog
 * thread unlinks (ended entries, in {@link #housekeeping}), so an unlink never races another unlink
 * and a push only ever touches the head. A process is registered at its first park, not at its start
 * (a go block that never parks costs nothing: W5's spawn), or at its start when start sites are
 * recorded ({@code -Dcsp4j.startSites=true}, which also captures where it was started).
 *
 * <pre>
 * entry state    how it got there                          what happens next
 * LIVE           registered; ended == false                 listed by the dump
 * ENDED          the body returned or threw: ended = true,   unlinked by the next sweep; never reported
 *                the reference cleared (never enqueued)
 * LEAKED         the GC cleared the reference of a LIVE     reported once by the watchdog thread
 *                entry: the process can never resume        (System.Logger WARNING), then unlinked
 * </pre>
 *
 * <p>A park costs a plain check of {@link GoProcess#diagnostics} and two plain writes (the operation
 * and the channel's name, kept for the leak report: the channel itself cannot be kept, or it would
 * never become unreachable). In virtual mode a parked process is never collected while the JDK
 * tracks all threads ({@code jdk.trackAllThreads}, true by default), so leaks are reported in loop
 * mode only (or with {@code -Djdk.trackAllThreads=false}). Tested by {@code DiagnosticsVerification}
 * (TCK Part 4).
 */
public final class ProcessRegistry {

    /** The system property that records where each process was started (the debug option). */
    public static final String START_SITES_PROPERTY = "csp4j.startSites";

    private static final System.Logger LOG = System.getLogger("io.csp4j");
    private static final ReferenceQueue<GoProcess> QUEUE = new ReferenceQueue<>();
    private static final VarHandle HEAD;
    private static final VarHandle ENDED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findStaticVarHandle(ProcessRegistry.class, "head", Entry.class);
            ENDED = l.findVarHandle(Entry.class, "ended", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The newest entry; pushes CAS it, the watchdog may CAS it to its successor when it ended. */
    private static volatile Entry head;
    private static volatile boolean startSites = Boolean.getBoolean(START_SITES_PROPERTY);
    /** Entries ended since the last sweep (racy count: only a hint when to sweep). */
    private static int endedSinceSweep;
    private static long lastSweep;
    private static volatile Consumer<String> leakListener;
    private static volatile boolean mbeanTried;

    private ProcessRegistry() {}

    /**
     * One process as the registry knows it; survives the process for the leak report. Kept to 48
     * bytes (every parked process has one): the name and start site, which most processes lack, live
     * in a {@link Rare} object only when there are any, and the last operation is a byte.
     */
    static final class Entry extends WeakReference<GoProcess> {
        /** The next older entry; written before publication, then only by the watchdog thread. */
        volatile Entry next;
        final long id;
        /**
         * The last park's channel name (a String, or null) when the process has no {@link Rare} facts;
         * else its {@code Rare}, which holds that name. Plain writes by the process, for the leak report.
         */
        private Object info;
        /** The last park's operation, an index in {@link #OPERATIONS}: a plain write by the process. */
        private byte lastOperation;
        volatile boolean ended;

        Entry(GoProcess p, long id, StackWalker.StackFrame[] startedAt) {
            super(p, QUEUE);
            this.id = id;
            String name = p.name();
            this.info = name != null || startedAt != null ? new Rare(name, startedAt) : null;
        }

        String name() {
            return info instanceof Rare r ? r.name : null;
        }

        StackWalker.StackFrame[] startedAt() {
            return info instanceof Rare r ? r.startedAt : null;
        }

        String lastOperation() {
            return OPERATIONS[lastOperation];
        }

        String lastChannelName() {
            Object i = info;
            return i instanceof Rare r ? r.lastChannelName : (String) i;
        }

        void parked(String operation, String channelName) {
            lastOperation = operationIndex(operation);
            if (info instanceof Rare r) {
                r.lastChannelName = channelName;
            } else {
                info = channelName;
            }
        }
    }

    /** What few processes have: a name, where they were started; and then the last channel's name. */
    private static final class Rare {
        final String name;
        /** Where {@code go(...)} was called, or null when start sites are not recorded. */
        final StackWalker.StackFrame[] startedAt;
        String lastChannelName;

        Rare(String name, StackWalker.StackFrame[] startedAt) {
            this.name = name;
            this.startedAt = startedAt;
        }
    }

    /** The operations a process parks in (index 0: none recorded, or one not in this list). */
    private static final String[] OPERATIONS = {null, "put()", "take()", "alts()", "await()"};

    private static byte operationIndex(String operation) {
        // Called on every park: the callers pass these very constants, so identity decides at once
        // (equals() per entry cost 2% of W6's samples).
        for (byte i = 1; i < OPERATIONS.length; i++) {
            if (OPERATIONS[i] == operation) {
                return i;
            }
        }
        for (byte i = 1; i < OPERATIONS.length; i++) {
            if (OPERATIONS[i].equals(operation)) {
                return i;
            }
        }
        return 0;
    }

    /** Whether processes record where they were started (the debug option). */
    public static boolean recordsStartSites() {
        return startSites;
    }

    /** Turns the recording of start sites on or off for processes started from now on. */
    public static void recordStartSites(boolean on) {
        startSites = on;
    }

    /** Sends every leak report also to {@code l}, or stops with {@code null}. For tests and tools. */
    public static void setLeakListener(Consumer<String> l) {
        leakListener = l;
    }

    /** How many frames of a start site are kept (the caller of {@code go(...)} and its callers). */
    private static final int START_SITE_DEPTH = 16;
    private static final StackWalker WALKER = StackWalker.getInstance();

    /**
     * Registers a process at its start, with where it was started (start sites are on). The frames
     * are walked lazily and at most {@value #START_SITE_DEPTH} deep, and kept as {@code StackFrame}s:
     * turning them into {@code StackTraceElement}s (the costly part) waits for a dump or a report.
     */
    static void registerAtStart(GoProcess p) {
        StackWalker.StackFrame[] site = WALKER.walk(s -> s.dropWhile(ProcessRegistry::isEngineFrame)
                .limit(START_SITE_DEPTH).toArray(StackWalker.StackFrame[]::new));
        register(p, site);
    }

    private static boolean isEngineFrame(StackWalker.StackFrame f) {
        String c = f.getClassName();
        return c.startsWith("io.csp4j.internal.") || c.equals("io.csp4j.Csp") || c.startsWith("io.csp4j.Scope");
    }

    private static List<StackTraceElement> elements(StackWalker.StackFrame[] frames) {
        if (frames == null) {
            return List.of();
        }
        List<StackTraceElement> out = new ArrayList<>(frames.length);
        for (StackWalker.StackFrame f : frames) {
            out.add(f.toStackTraceElement());
        }
        return out;
    }

    private static Entry register(GoProcess p, StackWalker.StackFrame[] startedAt) {
        Entry e;
        synchronized (p) { // with GoProcess.id(): one id per process, whoever asks first
            e = new Entry(p, p.idForRegistry(), startedAt);
            p.diagnostics = e;
        }
        Entry h;
        do {
            h = head;
            e.next = h;
        } while (!HEAD.compareAndSet(h, e));
        LaneWatchdog.ensureStarted();
        return e;
    }

    /** Called by every park of a process, before it waits. */
    static void parking(GoProcess p, String what, Object on) {
        Entry e = p.diagnostics;
        if (e == null) {
            e = register(p, null);
        }
        e.parked(what, on instanceof ManyToManyChannel<?> c ? c.name() : null);
    }

    /** Called once when a process's body has returned or thrown. */
    static void ended(GoProcess p) {
        Entry e = p.diagnostics;
        if (e != null) {
            e.clear(); // a cleared reference is never enqueued: an ended process is never a leak
            ENDED.setRelease(e, true);
            endedSinceSweep++;
        }
    }

    /** The watchdog thread's chores: report leaks, unlink ended entries now and then. */
    static void housekeeping() {
        // At most LEAKS_LOGGED_PER_ROUND leaks are logged one by one per round, the rest in one
        // summary line (a program that drops 100,000 processes gets a few lines, and the watchdog
        // goes on watching the lanes); the listener hears of every one. At most 10,000 per round.
        int leaks = 0;
        java.lang.ref.Reference<? extends GoProcess> r;
        for (int i = 0; i < 10_000 && (r = QUEUE.poll()) != null; i++) {
            Entry e = (Entry) r;
            if (!e.ended) {
                e.ended = true;
                endedSinceSweep++;
                reportLeak(e, leaks++ < LEAKS_LOGGED_PER_ROUND);
            }
        }
        if (leaks > LEAKS_LOGGED_PER_ROUND) {
            LOG.log(System.Logger.Level.WARNING, "csp4j: " + (leaks - LEAKS_LOGGED_PER_ROUND)
                    + " more processes can never resume (parked on channels nobody can reach any more)");
        }
        long now = System.nanoTime();
        if (endedSinceSweep > 1024 || (endedSinceSweep > 0 && now - lastSweep > TimeUnit.SECONDS.toNanos(2))) {
            sweep();
            lastSweep = now;
        }
    }

    /** Unlinks ended entries. Only the watchdog thread calls this. */
    static void sweep() {
        endedSinceSweep = 0;
        Entry h = head;
        while (h != null && h.ended && HEAD.compareAndSet(h, h.next)) {
            h = head;
        }
        if (h == null) {
            return;
        }
        Entry prev = h;
        for (Entry e = h.next; e != null; e = e.next) {
            if (e.ended) {
                prev.next = e.next;
            } else {
                prev = e;
            }
        }
    }

    /** Leaks logged one by one per watchdog round; the others are counted in one line. */
    private static final int LEAKS_LOGGED_PER_ROUND = 5;

    private static void reportLeak(Entry e, boolean log) {
        Consumer<String> l = leakListener;
        if (!log && l == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("csp4j: process#").append(e.id);
        if (e.name() != null) {
            sb.append(" \"").append(e.name()).append('"');
        }
        String op = e.lastOperation() == null ? "a park" : e.lastOperation();
        String on = e.lastChannelName() != null ? "channel " + e.lastChannelName()
                : "await()".equals(op) ? "a CompletionStage"
                : "alts()".equals(op) ? "its alts' channels"
                : "an unnamed channel";
        sb.append(" can never resume: it was parked in ").append(op).append(" on ").append(on)
                .append(", and nothing that could wake it is reachable any more (all its channels were dropped)."
                        + " Close the channel or cancel the process when giving up on it.");
        if (e.startedAt() != null) {
            sb.append(" It was started at:");
            for (StackTraceElement f : elements(e.startedAt())) {
                sb.append("\n\tat ").append(f);
            }
        } else {
            sb.append(" Run with -D").append(START_SITES_PROPERTY).append("=true to see where it was started.");
        }
        String msg = sb.toString();
        if (log) {
            LOG.log(System.Logger.Level.WARNING, msg);
        }
        if (l != null) {
            try {
                l.accept(msg);
            } catch (RuntimeException ignored) {
                // a listener's failure must not stop the watchdog
            }
        }
    }

    // ---------------------------------------------------------------- the dump

    /**
     * The live processes now: every registered one that has not ended, plus loop-mode steps running
     * on lane threads. With {@code stacks}, each one's stack: a parked loop-mode process's from its
     * continuation, walked on its own lane (waiting at most {@code wait} per lane), a virtual-mode
     * process's from its thread, a running step's from its lane thread.
     */
    public static List<ProcessInfo> snapshot(boolean stacks, Duration wait) {
        List<GoProcess> live = new ArrayList<>();
        Map<GoProcess, Entry> entries = new IdentityHashMap<>();
        for (Entry e = head; e != null; e = e.next) {
            GoProcess p = e.get();
            if (p != null && !e.ended) {
                live.add(p);
                entries.put(p, e);
            }
        }
        for (LoopProcess p : LaneWatchdog.runningNow()) {
            if (!entries.containsKey(p)) {
                live.add(p);
                entries.put(p, null);
            }
        }
        Map<GoProcess, StackTraceElement[]> stackOf = stacks ? collectStacks(live, wait) : Map.of();
        long now = System.nanoTime();
        List<ProcessInfo> out = new ArrayList<>(live.size());
        for (GoProcess p : live) {
            Entry e = entries.get(p);
            ProcessInfo.State state;
            GoProcess.Park park = p.parkedNow();
            if (p instanceof LoopProcess lp && lp.isRunningNow()) {
                state = ProcessInfo.State.RUNNING;
                park = null;
            } else if (park != null) {
                state = ProcessInfo.State.PARKED;
            } else {
                state = p instanceof LoopProcess ? ProcessInfo.State.WAITING_FOR_LANE : ProcessInfo.State.RUNNING;
            }
            StackTraceElement[] st = stackOf.get(p);
            out.add(new ProcessInfo(p.id(), p.name(), p instanceof LoopProcess ? ProcessMode.LOOP : ProcessMode.VIRTUAL,
                    state, park == null ? null : park.operation(), park == null ? null : describe(park.on()),
                    park == null ? null : Duration.ofNanos(Math.max(0, now - park.sinceNanos())),
                    p.scope() == null ? null : String.valueOf(p.scope()), p.isCancelled(),
                    st == null ? List.of() : List.of(st),
                    e == null ? List.of() : elements(e.startedAt())));
        }
        out.sort((a, b) -> Long.compare(a.id(), b.id()));
        return out;
    }

    /** What a park waits on, as the dump shows it: a channel's toString, the alts operations, a stage. */
    static String describe(Object on) {
        if (on == null) {
            return null;
        }
        if (on instanceof Object[] a) {
            return Arrays.toString(a);
        }
        if (on instanceof Collection<?> c) {
            return c.toString();
        }
        if (on instanceof ManyToManyChannel<?>) {
            return on.toString();
        }
        return on.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(on));
    }

    private static Map<GoProcess, StackTraceElement[]> collectStacks(List<GoProcess> live, Duration wait) {
        Map<GoProcess, StackTraceElement[]> out = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Executor, List<LoopProcess>> byLane = new HashMap<>();
        for (GoProcess p : live) {
            if (p instanceof VirtualProcess vp) {
                StackTraceElement[] st = vp.thread().getStackTrace();
                if (st.length > 0) {
                    out.put(p, st);
                }
            } else if (p instanceof LoopProcess lp) {
                LaneWatchdog.Carrier c = lp.carrierNow();
                if (c != null && LaneWatchdog.runningOn(c) == lp) {
                    out.put(p, c.thread.getStackTrace());
                } else if (lp.lane() != null) { // null: its first step has not run, so it has no frames yet
                    byLane.computeIfAbsent(lp.lane(), k -> new ArrayList<>()).add(lp);
                }
            }
        }
        if (byLane.isEmpty()) {
            return out;
        }
        // A parked continuation may only be walked where it cannot be resumed meanwhile: on its own
        // lane (one thread, one task at a time). One task per lane walks all of that lane's processes.
        CountDownLatch done = new CountDownLatch(byLane.size());
        io.csp4j.spi.Dispatcher d = Engine.dispatcherIfPresent();
        boolean onDispatcher = d != null && d.isDispatcherThread();
        for (Map.Entry<Executor, List<LoopProcess>> lane : byLane.entrySet()) {
            Runnable walk = () -> {
                try {
                    for (LoopProcess lp : lane.getValue()) {
                        StackTraceElement[] st = lp.stackBetweenSteps();
                        if (st != null) {
                            out.put(lp, st);
                        }
                    }
                } finally {
                    done.countDown();
                }
            };
            if (onDispatcher) {
                done.countDown(); // never wait on a dispatcher thread: those stacks are left out
                continue;
            }
            try {
                lane.getKey().execute(walk);
            } catch (RuntimeException refused) {
                done.countDown();
            }
        }
        try {
            done.await(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** Registers the JMX MBean {@code io.csp4j:type=Processes} once (called lazily, off the lanes). */
    static void registerMBean() {
        if (mbeanTried) {
            return;
        }
        mbeanTried = true;
        try {
            javax.management.MBeanServer s = java.lang.management.ManagementFactory.getPlatformMBeanServer();
            javax.management.ObjectName n = new javax.management.ObjectName(io.csp4j.ProcessesMXBean.OBJECT_NAME);
            if (!s.isRegistered(n)) {
                s.registerMBean(new ProcessesBean(), n);
            }
        } catch (Exception | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, "csp4j: the Processes MBean could not be registered", e);
        }
    }

    /** The MBean: the dump for jconsole, VisualVM, JMC or any JMX client. */
    static final class ProcessesBean implements io.csp4j.ProcessesMXBean {
        @Override
        public int getProcessCount() {
            return snapshot(false, Duration.ZERO).size();
        }

        @Override
        public int getParkedCount() {
            return (int) snapshot(false, Duration.ZERO).stream()
                    .filter(i -> i.state() == ProcessInfo.State.PARKED).count();
        }

        @Override
        public String dump() {
            return io.csp4j.Diagnostics.dump();
        }

        @Override
        public boolean isRecordingStartSites() {
            return recordsStartSites();
        }

        @Override
        public void setRecordingStartSites(boolean on) {
            recordStartSites(on);
        }
    }
}
