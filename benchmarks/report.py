#!/usr/bin/env python3
"""Writes docs/benchmarks.md from one JMH run (JSON), Go's `go test -bench` output, the heap-per-process
file and the idle-CPU file.

One table per scenario (W1-W8) with csp4j on every backend and mode and the peers side by side (Go at
GOMAXPROCS=1 and 2 among them), mean +/- error (JMH's 99.9% interval; for Go the median of its counts
and their min-max), the ratio to the best peer (below 1 = faster than it), the machine it ran on, and
the targets of issue 13, each judged on the default configuration (backend forkjoin, loop mode) and
marked met, not met or not run. W9 (channels across JVMs) has a table of its own: each remote-channel
measure beside the raw Vert.x event-bus operation it rides on, with the ratio between them. Also writes the rows of the W1-W4 chart (tab-separated) for
io.csp4j.benchmarks.Chart. Standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import re
import statistics

SCENARIOS = [
    ("PingPongBenchmark", "W1", "Unbuffered ping-pong", "ns per round trip"),
    ("BufferedOneToOneBenchmark", "W2", "buffered(128), 1 producer -> 1 consumer", "ns per item"),
    ("BufferedFourToFourBenchmark", "W3", "buffered(128), 4 producers -> 4 consumers", "ns per item"),
    ("FanInAltsBenchmark", "W4", "alts fan-in over 4 unbuffered channels", "ns per item"),
    ("SpawnBenchmark", "W5", "Spawn cost (start, run, end a process)", "ns per process"),
    ("PrimeSieveBenchmark", "W6", "Go's prime sieve to the 2,000th prime", "ms per sieve"),
    ("TimeoutsBenchmark", "W7", "10,000 concurrent 10 ms timeouts", "ms per batch (floor: 10 ms)"),
    ("ParallelWorkBenchmark", "W8", "64 CPU-bound go blocks from main", "ms per run"),
]

PEER_NAMES = {
    "jdkSynchronousQueue": "JDK SynchronousQueue (virtual threads)",
    "jdkArrayBlockingQueue": "JDK ArrayBlockingQueue (virtual threads)",
    "jdkLinkedTransferQueue": "JDK LinkedTransferQueue (virtual threads)",
    "jdkVirtualThread": "JDK virtual threads",
    "jox": "jox (virtual threads)",
    "kotlinDefault": "kotlinx.coroutines, Dispatchers.Default",
    "kotlinSingleThread": "kotlinx.coroutines, single thread",
}
BACKEND_ORDER = ["forkjoin", "forkjoin-1", "vertx", "netty"]
MODE_ORDER = ["loop", "virtual"]
# csp4j's benchmark methods; the others are peers. csp4jFromLane: both processes started from one go
# block, i.e. from one lane (PingPongBenchmark).
CSP4J_METHODS = {"csp4j": "", "csp4jFromLane": " (started from a lane)"}
DEFAULT = ("forkjoin", "loop")

# Go benchmark (benchmarks/go/chan_test.go) per JMH scenario class: its name and the factor from its
# ns/op to the unit of the JMH table. W7 is not here: Go's W7 is another workload (see W7_GO).
GO_BENCH = {
    "PingPongBenchmark": ("W1PingPong", 1.0),
    "BufferedOneToOneBenchmark": ("W2SPSC128", 1.0),
    "BufferedFourToFourBenchmark": ("W3MPMC4x4", 1.0),
    "FanInAltsBenchmark": ("W4SelectFanIn4", 1.0),
    "SpawnBenchmark": ("W5Spawn", 1.0),
    "PrimeSieveBenchmark": ("W6Sieve2000", 1e-6),
}
# W9: each csp4j remote-channel benchmark method, the raw event-bus method it is compared with, and what
# they measure (benchmarks/src/main/java/io/csp4j/benchmarks/RemotePingPongBenchmark.java).
W9_CLASS = "RemotePingPongBenchmark"
W9_PAIRS = [
    ("remotePingPong", "eventBusRequest", "ping-pong latency, per round trip",
     "a remote writer's put and a remote reader's take (echoed by a go block on the owner)",
     "`request` and its reply"),
    ("remoteStream", "eventBusSend", "one-way streaming, per value",
     "a remote writer's puts into the owner's `chan(128)`, taken there (credit window 64)",
     "fire-and-forget `send`s to a consumer (no flow control)"),
    ("remoteStreamBuffered", "eventBusSend", "one-way streaming with a send buffer of 64, per value",
     "the same through a writer with `RemoteOptions.sendBuffer(64)`: a put returns once its value is "
     "buffered", "fire-and-forget `send`s"),
]
GO_LINE = re.compile(r"^Benchmark(\w+?)(?:-(\d+))?\s+(\d+)\s+(.*)$")


def load(path):
    with open(path) as f:
        return json.load(f)


def load_jsonl(path):
    if not path or not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def rows_by_scenario(results):
    out = {}
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[-2:]
        m = r["primaryMetric"]
        err = m.get("scoreError")
        row = {
            "method": method,
            "params": r.get("params") or {},
            "score": m["score"],
            "error": 0.0 if err in (None, "NaN") or err != err else err,
            "unit": m["scoreUnit"],
        }
        out.setdefault(cls, []).append(row)
    return out


def parse_go(path):
    """`go test -bench` output: {name: {gomaxprocs: [{metric unit: value}, ...]}} (one dict per count)."""
    out = {}
    if not path or not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            m = GO_LINE.match(line.strip())
            if not m:
                continue
            name, procs, rest = m.group(1), int(m.group(2) or 1), m.group(4).split()
            metrics = {}
            for value, unit in zip(rest[0::2], rest[1::2]):
                try:
                    metrics[unit] = float(value)
                except ValueError:
                    pass
            out.setdefault(name, {}).setdefault(procs, []).append(metrics)
    return out


def go_stat(go, name, procs, unit, factor=1.0):
    """(median, min, max) of `unit` over the counts of Go benchmark `name` at GOMAXPROCS=procs, or None."""
    vals = [m[unit] * factor for m in go.get(name, {}).get(procs, []) if unit in m]
    if not vals:
        return None
    return statistics.median(vals), min(vals), max(vals)


def add_go_rows(by, go):
    """Adds Go's rows (method "go", params gomaxprocs) as peers to the scenarios it ran."""
    for cls, (name, factor) in GO_BENCH.items():
        for procs in sorted(go.get(name, {})):
            st = go_stat(go, name, procs, "ns/op", factor)
            if st is None:
                continue
            unit = next((r["unit"] for r in by.get(cls, [])), "ms/op" if factor != 1.0 else "ns/op")
            by.setdefault(cls, []).append({
                "method": "go", "params": {"gomaxprocs": procs}, "score": st[0], "error": (st[2] - st[1]) / 2,
                "range": (st[1], st[2]), "unit": unit,
            })


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:,.1f}"
    return f"{x:,.2f}"


def fmt_error(r):
    if "range" in r:
        return f"{fmt(r['range'][0])}–{fmt(r['range'][1])}"
    return fmt(r["error"])


def is_csp4j(r):
    return r["method"] in CSP4J_METHODS


def csp4j_rows(rows):
    cs = [r for r in rows if is_csp4j(r)]
    return sorted(cs, key=lambda r: (BACKEND_ORDER.index(r["params"].get("backend", "forkjoin")),
                                     MODE_ORDER.index(r["params"].get("mode", "loop")),
                                     list(CSP4J_METHODS).index(r["method"])))


def peer_rows(rows):
    return sorted([r for r in rows if not is_csp4j(r)], key=lambda r: r["score"])


def label(r):
    if is_csp4j(r):
        return f"csp4j {r['params'].get('backend')} / {r['params'].get('mode')}{CSP4J_METHODS[r['method']]}"
    if r["method"] == "go":
        return f"Go, GOMAXPROCS={r['params']['gomaxprocs']}"
    return PEER_NAMES.get(r["method"], r["method"])


def machine(results, java):
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    jdk = "unknown JDK"
    if results:
        r = results[0]
        jdk = f"{r.get('vmName', '')} {r.get('vmVersion', '')} (JDK {r.get('jdkVersion', '')})".strip()
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores (nproc), {cpu}{mem}, {platform.system()} {platform.release()}; {jdk}"


def combine(checks):
    """One verdict from several: not met if any is not met, else not run if any was not run, else met."""
    if any(c is False for c in checks):
        return False
    if any(c is None for c in checks):
        return None
    return True


def targets(by, heap, idle):
    """Each target of issue 13, judged on the default (forkjoin, loop): (text, verdict, evidence)."""
    out = []

    def find(cls, method, **params):
        return next((r for r in by.get(cls, []) if r["method"] == method
                     and all(r["params"].get(k) == v for k, v in params.items())), None)

    def csp(cls, backend=DEFAULT[0], mode=DEFAULT[1], method="csp4j"):
        return find(cls, method, backend=backend, mode=mode)

    def go2(cls):
        return find(cls, "go", gomaxprocs=2)

    def fastest_peer(cls):
        ps = peer_rows(by.get(cls, []))
        return ps[0] if ps else None

    def cmp(c, p, factor, unit, what):
        """(check, evidence) for c <= factor * p."""
        if p is None:
            return None, f"no {what} in this run"
        limit = f" (limit {factor:g}x)" if factor != 1 else ""
        return (c["score"] <= factor * p["score"],
                f"{c['score'] / p['score']:.2f}x {label(p)} {fmt(p['score'])} {unit}{limit}")

    def lane_fact(cls, unit, ref):
        one = csp(cls, "forkjoin-1")
        if not one or not ref:
            return ""
        return (f"; for reference, forkjoin-1 / loop (one lane) {fmt(one['score'])} {unit} = "
                f"{one['score'] / ref['score']:.2f}x {label(ref)}")

    def peer_target(cls, w, text, refs, unit="ns"):
        """refs: (peer row, factor, what) that the default must each be at most factor times."""
        c = csp(cls)
        if not c:
            out.append((text, None, f"no result for csp4j forkjoin / loop in {w}"))
            return
        checks, ev = [], []
        for p, factor, what in refs:
            ok, e = cmp(c, p, factor, unit, what)
            checks.append(ok)
            ev.append(e)
        first = next((p for p, _, _ in refs if p), None)
        out.append((text, combine(checks),
                    f"csp4j forkjoin / loop {fmt(c['score'])} {unit} = " + "; ".join(ev)
                    + lane_fact(cls, unit, first)))

    w1 = "PingPongBenchmark"
    peer_target(w1, "W1", "W1 <= kotlinx Dispatchers.Default and <= 1.5x Go GOMAXPROCS=2",
                [(find(w1, "kotlinDefault"), 1, "kotlinx Dispatchers.Default"),
                 (go2(w1), 1.5, "Go GOMAXPROCS=2")])
    for cls, w in (("BufferedOneToOneBenchmark", "W2"), ("BufferedFourToFourBenchmark", "W3")):
        peer_target(cls, w, f"{w} <= 1.2x the fastest peer (Go included)",
                    [(fastest_peer(cls), 1.2, "peer")])
    w4 = "FanInAltsBenchmark"
    peer_target(w4, "W4", "W4 <= kotlinx Dispatchers.Default and <= 1.5x Go GOMAXPROCS=2",
                [(find(w4, "kotlinDefault"), 1, "kotlinx Dispatchers.Default"),
                 (go2(w4), 1.5, "Go GOMAXPROCS=2")])
    w6 = "PrimeSieveBenchmark"
    peer_target(w6, "W6", "W6 <= kotlinx Dispatchers.Default",
                [(find(w6, "kotlinDefault"), 1, "kotlinx Dispatchers.Default")], unit="ms")

    # W5 heap: the default at 1,000,000 parked.
    text = "W5 heap per parked process <= 480 bytes at 1,000,000 parked"
    h = next((h for h in heap if h["subject"] == "csp4j" and (h["backend"], h["mode"]) == DEFAULT
              and h["processes"] == 1_000_000), None)
    if h:
        out.append((text, h["bytesPerProcess"] <= 480,
                    f"csp4j forkjoin / loop {h['bytesPerProcess']:,.0f} bytes at 1,000,000 parked "
                    f"({h['bytesPerProcess'] / 480:.2f}x the 480-byte target)" + heap_peers(heap, 1_000_000)))
    else:
        out.append((text, None, "no heap figure for csp4j forkjoin / loop at 1,000,000 parked in this run"))

    # W5 spawn.
    text = "W5 spawn <= a virtual thread's"
    c, vt = csp("SpawnBenchmark"), find("SpawnBenchmark", "jdkVirtualThread")
    if c and vt:
        out.append((text, c["score"] <= vt["score"],
                    f"csp4j forkjoin / loop {fmt(c['score'])} ns = {c['score'] / vt['score']:.2f}x "
                    f"JDK virtual threads {fmt(vt['score'])} ns" + lane_fact("SpawnBenchmark", "ns", vt)))
    else:
        out.append((text, None, "not run"))

    # W8.
    text = "W8 on the default at least 1.8x faster than forkjoin-1"
    c, one = csp("ParallelWorkBenchmark"), csp("ParallelWorkBenchmark", "forkjoin-1")
    if c and one:
        out.append((text, one["score"] >= 1.8 * c["score"],
                    f"csp4j forkjoin / loop {fmt(c['score'])} ms vs forkjoin-1 / loop {fmt(one['score'])} ms: "
                    f"{one['score'] / c['score']:.2f}x faster (target 1.8x)"))
    else:
        out.append((text, None, "not run"))

    # W1 on Vert.x and Netty.
    text = "W1 on vertx and netty (loop) started from a lane <= 1.2x the same on the default"
    ref = csp(w1, method="csp4jFromLane")
    checks, ev = [], []
    for b in ("vertx", "netty"):
        r = csp(w1, b, method="csp4jFromLane")
        if r and ref:
            checks.append(r["score"] <= 1.2 * ref["score"])
            ev.append(f"{b} {fmt(r['score'])} ns = {r['score'] / ref['score']:.2f}x")
        else:
            checks.append(None)
            ev.append(f"{b}: no result")
    out.append((text, combine(checks),
                ", ".join(ev) + (f" forkjoin / loop started from a lane {fmt(ref['score'])} ns" if ref
                                 else "; no result for forkjoin / loop started from a lane")))
    text = "W1 on vertx and netty (loop) started from main <= 5 us"
    checks, ev = [], []
    for b in ("vertx", "netty"):
        r = csp(w1, b)
        checks.append(r["score"] <= 5000 if r else None)
        ev.append(f"{b} {fmt(r['score'])} ns ({r['score'] / 5000:.2f}x the 5,000 ns target)" if r
                  else f"{b}: no result")
    out.append((text, combine(checks), ", ".join(ev)))

    # Idle CPU.
    text = "An idle program (1,000 parked processes) uses < 1% of a core"
    rows = [i for i in idle if i["backend"] != "jvm-baseline"]
    if rows:
        base = next((i for i in idle if i["backend"] == "jvm-baseline"), None)
        d = next((i for i in rows if (i["backend"], i["mode"]) == DEFAULT), None)
        worst = max(rows, key=lambda i: i["percentOfCore"])
        ev = (f"default (forkjoin / loop) {d['percentOfCore']:.2f}% of a core" if d else "no figure for the default")
        ev += (f"; every backend: " + ", ".join(
            f"{i['backend']} {i['percentOfCore']:.2f}%"
            + (f" (its dispatcher's threads {i['dispatcherPercentOfCore']:.2f}%)" if "dispatcherMs" in i else "")
            for i in rows) + f" (worst {worst['backend']})")
        if base:
            ev += f"; the JVM alone {base['percentOfCore']:.2f}%"
        out.append((text, d["percentOfCore"] < 1 if d else None, ev))
    else:
        out.append((text, None, "not run"))
    return out


def heap_peers(heap, n):
    ps = [h for h in heap if h["subject"] != "csp4j" and h["processes"] == n]
    if not ps:
        return ""
    return "; " + ", ".join(f"{h['subject']} {h['bytesPerProcess']:,.0f}" for h in ps)


def go_heap_rows(go):
    rows = []
    for procs in sorted(go.get("W5ParkedMem", {})):
        st = go_stat(go, "W5ParkedMem", procs, "B/parked")
        if st:
            rows.append({"subject": "go-goroutine", "backend": f"GOMAXPROCS={procs}", "mode": "-",
                         "processes": 100_000, "bytesPerProcess": st[0], "range": (st[1], st[2])})
    return rows


def verdict(v):
    return "**met**" if v is True else ("**not met**" if v is False else "not run")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jmh", required=True, action="append",
                    help="JMH's JSON results; repeat it for runs made apart (W6's longer warm-up)")
    ap.add_argument("--heap")
    ap.add_argument("--idle")
    ap.add_argument("--go", help="the output of `go test -bench` in benchmarks/go")
    ap.add_argument("--jmh-opts", default="")
    ap.add_argument("--go-opts", default="")
    ap.add_argument("--java", default="java")
    ap.add_argument("--out", required=True)
    ap.add_argument("--chart-data", required=True)
    ap.add_argument("--profile", help="ProfileSummary's JSON lines (benchmarks/target/profiles.jsonl)")
    a = ap.parse_args()

    results = [r for path in a.jmh for r in load(path)]
    by = rows_by_scenario(results)
    go = parse_go(a.go)
    add_go_rows(by, go)
    heap = load_jsonl(a.heap)
    idle = load_jsonl(a.idle)
    profiles = load_jsonl(a.profile)
    go_version = ""
    if a.go and os.path.exists(a.go):
        with open(a.go) as f:
            for line in f:
                if line.startswith("cpu:") or line.startswith("goos:"):
                    continue
                m = re.search(r"go version (go\S+)", line)
                if m:
                    go_version = m.group(1)

    md = []
    md.append("# csp4j benchmarks")
    md.append("")
    md.append("Written by `./run bench` (benchmarks/bench) from one run: csp4j on every backend and "
              "process mode and its peers (JDK queues on virtual threads, jox, kotlinx.coroutines, and "
              "Go's channels from `benchmarks/go` when Go is installed) side by side, in the same run. "
              "Scenarios: `benchmarks/README.md`; targets: issue 13.")
    md.append("")
    md.append(f"- Machine: {machine(results, a.java)}")
    md.append(f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    md.append(f"- JMH 1.37, settings `{a.jmh_opts}`, one fork per benchmark, average time; "
              "error = JMH's 99.9% confidence half-width over the measurement iterations.")
    if go:
        md.append(f"- Go{(' ' + go_version) if go_version else ''}: `go test -run XXX -bench . {a.go_opts}` "
                  "in `benchmarks/go` (output: `benchmarks/target/go-bench.txt`); a Go row is the median "
                  "of its counts and its error column their min–max. Go's workloads have the same "
                  "shapes as the JMH scenarios (`benchmarks/go/README.md`).")
    else:
        md.append("- Go: not in this run (`go` not on the PATH, skipped, or no Go workload selected).")
    md.append("- **Noisy numbers.** Measured on a shared 2-core virtual machine whose other load is not "
              "known: absolute figures and small differences (under ~20%) are not reliable; compare "
              "ratios within one run, and rerun `./run bench` before drawing conclusions from a single "
              "figure.")
    md.append("- Ratio = score / best peer's score in the same table: below 1 is faster than the "
              "best peer. Lower scores are better everywhere.")
    md.append("- Backends: `forkjoin` (ForkJoinDispatcher, one worker per core: the default), `forkjoin-1` (a "
              "single-thread lane, `new ForkJoinDispatcher(1)`), `vertx` (`VertxDispatcher.create()`), "
              "`netty` (`new NettyDispatcher(nproc)`); modes `loop` (continuations on the dispatcher, "
              "the default) and `virtual` (virtual threads). \"Started from a lane\": both processes "
              "of W1 started by one go block, as a verticle's or an event loop's are; otherwise every "
              "process is started from the benchmark thread, as from `main`.")
    md.append("")

    md.append("## Targets")
    md.append("")
    md.append("Each judged on the default configuration (backend `forkjoin`, mode `loop`, processes "
              "started from `main`) against the peers of the same run.")
    md.append("")
    md.append("| target | verdict | evidence |")
    md.append("| --- | --- | --- |")
    profiled = {p["workload"] for p in profiles}
    for text, v, ev in targets(by, heap, idle):
        w = text.split()[0]
        if v is False and "started from a lane" in text and "W1 vertx, from a lane" in profiled:
            ev += "; where the time goes: [profile of W1 on vertx from a lane](#where-the-time-goes-on-the-default)"
        elif v is False and w in profiled:
            ev += f"; where the time goes: [profile of {w}](#where-the-time-goes-on-the-default)"
        elif v is False and text.startswith("W5 heap") and any(h.get("breakdown") for h in heap):
            ev += "; where the bytes are: [W5 breakdown](#w5-heap-per-parked-process)"
        md.append(f"| {text} | {verdict(v)} | {ev} |")
    md.append("")
    md.append("![W1-W4: csp4j (blue) and peers (grey)](benchmarks-w1-w4.png)")
    md.append("")

    not_run = []
    chart = []
    for cls, w, title, unit in SCENARIOS:
        rows = [r for r in by.get(cls, []) if not (w == "W7" and r["method"] == "go")]
        md.append(f"## {w}: {title} ({unit})")
        md.append("")
        if not rows:
            md.append("Not run in this run.")
            md.append("")
            not_run.append(w)
            continue
        peers = peer_rows(rows)
        bp = peers[0]["score"] if peers else None
        md.append(f"`{cls}`. Best peer: {label(peers[0]) if peers else 'none'}.")
        md.append("")
        unit_col = next((r["unit"] for r in rows if r["method"] != "go"), rows[0]["unit"])
        md.append(f"| implementation | score ({unit_col}) | ± error | ratio to best peer |")
        md.append("| --- | ---: | ---: | ---: |")
        for r in csp4j_rows(rows) + peers:
            ratio = f"{r['score'] / bp:.2f}" if bp else "-"
            name = label(r)
            if is_csp4j(r):
                name = f"**{name}**"
            md.append(f"| {name} | {fmt(r['score'])} | {fmt_error(r)} | {ratio} |")
        have = {(r["params"].get("backend"), r["params"].get("mode")) for r in rows if r["method"] == "csp4j"}
        missing = [f"{b} / {m}" for b in BACKEND_ORDER for m in MODE_ORDER if (b, m) not in have]
        if missing:
            md.append("")
            md.append("**No result** for csp4j " + ", ".join(missing) + ": not selected, or the benchmark "
                      "failed in this run (a process died or the scenario did not finish within 60 s; see "
                      "the JMH log).")
        md.append("")
        if w in ("W1", "W2", "W3", "W4"):
            for r in csp4j_rows(rows) + peers:
                chart.append("\t".join([f"{w}: {title}", label(r).replace("csp4j ", ""),
                                        "csp4j" if is_csp4j(r) else "peer",
                                        repr(r["score"]), repr(r["error"]), unit_col]))
        if w == "W1" and any(r["method"] == "csp4jFromLane" for r in rows):
            md.append("\"Started from a lane\" (`csp4jFromLane`): the two processes are started by one go "
                      "block, so on Vert.x and Netty by one event loop; the other csp4j rows start them "
                      "from the benchmark thread, as from `main`.")
            md.append("")
        if w == "W4":
            md.append("The JDK has no select over queues, so W4 has no JDK peer.")
            md.append("")
        if w == "W5":
            md.append("jox is channels only (its processes are virtual threads), so its spawn cost is the "
                      "virtual thread's.")
            md.append("")
        if w == "W7":
            md.append("jox has no timers of its own, so W7 has no jox entry.")
            md.append("")
            md.append(w7_go_note(go, rows))
            md.append("")
        if w == "W8":
            md.append("No peer runs W8: its question is whether the default dispatcher spreads CPU-bound "
                      "processes over the cores, so the comparison is the default against `forkjoin-1` "
                      "(see the targets).")
            md.append("")

    md.extend(w9_section(by, not_run))
    md.extend(profile_section(profiles, not_run))

    md.append("## W5: heap per parked process")
    md.append("")
    gh = go_heap_rows(go)
    if heap or gh:
        md.append("`HeapPerProcess` (a main of its own, `-Xmx6g`): N processes parked on a take from one "
                  "channel that never gets a value; used heap after full GCs (MemoryMXBean), growth / N. "
                  "Includes everything a parked process keeps alive (continuation or stack, result "
                  "channel, pending take). Each measurement follows a warm-up of the same code: rounds of "
                  "50,000 parked and released until the JIT has settled (no compilation time added by 3 "
                  "rounds in a row; 5 to 100 rounds), as JMH warms up before it measures, since the size "
                  "of a parked stack depends on how its frames were compiled; Go's rows have no warm-up "
                  "(no JIT).")
        if gh:
            md.append("Go's rows (`W5ParkedMem`): 100,000 goroutines parked on receives from 100 channels, "
                      "growth of heap and stacks in use (`HeapInuse + StackInuse`) / N, median of its "
                      "counts (" + ", ".join(f"{h['backend']}: {fmt(h['range'][0])}–{fmt(h['range'][1])}"
                                              for h in gh) + ").")
        md.append("")
        md.append("| subject | backend | mode | parked | warm-up rounds | bytes per parked process |")
        md.append("| --- | --- | --- | ---: | ---: | ---: |")
        for h in heap + gh:
            rounds = h.get("warmUpRounds")
            md.append(f"| {h['subject']} | {h['backend']} | {h['mode']} | {h['processes']:,} | "
                      f"{rounds if rounds is not None else '-'} | {h['bytesPerProcess']:,.0f} |")
        broken = [h for h in heap if h.get("breakdown")]
        if broken:
            h = max(broken, key=lambda x: x["processes"])
            md.append("")
            md.append(f"Where the bytes of csp4j {h['backend']} / {h['mode']} at {h['processes']:,} parked are: "
                      "the classes whose live instances grew most (a class histogram, "
                      "`DiagnosticCommand gcClassHistogram`, before and after), in bytes per parked process. "
                      "`jdk.internal.vm.StackChunk` is the continuation's copy of the process's frames; its "
                      "size depends on how many frames lie between the body and the park and on how they "
                      "were compiled when the process parked (interpreted and C1 frames are larger than C2's).")
            md.append("")
            md.append("| class | bytes per parked process |")
            md.append("| --- | ---: |")
            for cls_name, b in h["breakdown"]:
                md.append(f"| `{cls_name}` | {b:,.1f} |")
    else:
        md.append("Not run in this run.")
        not_run.append("W5 heap")
    md.append("")

    md.append("## Idle CPU")
    md.append("")
    if idle:
        md.append("`IdleCpu` (a main of its own): on each backend in loop mode, 1,000 processes parked on "
                  "takes from 10 channels and a burst of 20,000 ping-pong round trips; then it *settles*: one "
                  "`System.gc()`, then it waits until the JIT's total compilation time "
                  "(`CompilationMXBean.getTotalCompilationTime`, ms) and every collector's count "
                  "(`GarbageCollectorMXBean.getCollectionCount`) have not changed for 2 s, sampled every "
                  "100 ms, for at most 30 s (\"settled\" says whether they went quiet, and after how "
                  "long); then it *measures* over the idle seconds that follow, with the main thread "
                  "asleep: the process's CPU time (`OperatingSystemMXBean.getProcessCpuTime`, every thread "
                  "of the process, 10 ms resolution) in percent of one core, and beside it the CPU time of "
                  "each Java platform thread (`ThreadMXBean.getThreadCpuTime`, ns resolution): the "
                  "dispatcher's threads (by name: `csp4j-forkjoin-*`, `vert.x-*`/`vertx-*`, "
                  "`csp4j-netty-*`) summed, the other Java threads summed, and what is left of the "
                  "process's time, the JVM's threads that are not Java threads (JIT compilers, GC, VM; "
                  "never below 0). The JIT's compilation time and the collections within the window, and "
                  "the busiest threads of the process as Linux counts them (`/proc/self/task/TID/schedstat`, "
                  "ns on a CPU; JVM threads included, names cut to 15 characters), are listed so that "
                  "CPU the JIT or GC spends shows as theirs. "
                  "`jvm-baseline` is the same JVM, settled and measured the same way, before any "
                  "dispatcher exists, after the measuring code has run 100 times and one 1 s measurement "
                  "has been thrown away, so that the JIT has compiled it.")
        md.append("")
        md.append("| backend | mode | parked | settled | idle seconds | process CPU ms | % of a core "
                  "| dispatcher threads ms (% of a core) | other Java threads ms | JVM internals ms "
                  "| JIT ms / GCs in window | busiest threads, OS view (ms) |")
        md.append("| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for i in idle:
            if "dispatcherMs" in i:
                settled = f"{'yes' if i['settled'] else 'no'}, {i['settleSeconds']:.1f} s"
                disp = (f"{i['dispatcherMs']:,.1f} ({i['dispatcherPercentOfCore']:.2f}%), "
                        f"{i['dispatcherThreads']} thread{'' if i['dispatcherThreads'] == 1 else 's'}" if i["backend"] != "jvm-baseline" else "-")
                busiest = ", ".join(f"{t['name']} {t['cpuMs']:,.1f}"
                                    for t in (i.get("busiestOs") or i["busiest"])) or "-"
                md.append(f"| {i['backend']} | {i['mode']} | {i['parked']:,} | {settled} | {i['seconds']:.1f} | "
                          f"{i['cpuMs']:,.0f} | {i['percentOfCore']:.2f} | {disp} | {i['otherJavaMs']:,.1f} | "
                          f"{i['jvmInternalMs']:,.0f} | {i['jitMs']:,} / {i['collections']:,} | {busiest} |")
            else:  # a file from an IdleCpu before the settling and per-thread figures
                md.append(f"| {i['backend']} | {i['mode']} | {i['parked']:,} | - | {i['seconds']:.1f} | "
                          f"{i['cpuMs']:,.0f} | {i['percentOfCore']:.2f} | - | - | - | - | - |")
    else:
        md.append("Not run in this run.")
        not_run.append("idle CPU")
    md.append("")
    if not_run:
        md.append("## Not run")
        md.append("")
        md.append("Not measured in this run: " + ", ".join(not_run) + ".")
        md.append("")

    with open(a.out, "w") as f:
        f.write("\n".join(md))
    with open(a.chart_data, "w") as f:
        f.write("\n".join(chart) + "\n")


def profile_section(profiles, not_run):
    """Where the time goes on the default (forkjoin, loop): ProfileSummary's categories per workload."""
    md = ["## Where the time goes on the default", ""]
    if not profiles:
        md.append("Not run in this run.")
        md.append("")
        not_run.append("profiles")
        return md
    idle = "an idle lane spinning or looking for work to steal"
    md.append("A second, shorter JMH run of each workload on the default (`forkjoin`, loop mode) "
              "(and, in a column of its own, of W1 on Vert.x with both processes started from one of its "
              "event loops, `PingPongBenchmark.csp4jFromLane` with backend `vertx`, for the target on "
              "Vert.x) under "
              "JMH's Flight Recorder profiler (`benchmarks/profile.jfc`: a Java execution sample every "
              "millisecond of each thread that runs Java code; csp4j's own events off), summed up by "
              "`ProfileSummary`. Each sample goes to the first category whose rule matches one of its "
              "frames from the top of the stack down (a sample in a channel's lock inside a put counts "
              "as locks). The freeze and thaw of a continuation run in the JVM's own stubs, which JFR "
              "charges to the Java frame that called them (`Continuation.yield`, `Continuation.run`), so "
              "those two rows are the cost of parking and resuming a process's stack, with one exception: "
              "the JVM thaws only the top frames at once and the others as the body returns into them "
              "(a return barrier), and that part is charged to the frame returned into, such as the "
              "`take()` that parked (so some thaw time shows under channels). Percent of the "
              "samples of the workload; the samples of a lane with nothing to do (spinning before it "
              "parks, looking for work to steal, on a core the workload did not need) are left out and "
              "counted in the last row, in percent of all samples.")
    md.append("")
    cats = [c for c in profiles[0]["categories"] if c != idle]
    md.append("| category | " + " | ".join(p["workload"] for p in profiles) + " |")
    md.append("| --- |" + " ---: |" * len(profiles))
    for c in cats:
        cells = []
        for p in profiles:
            busy = p["samples"] - p["categories"].get(idle, 0)
            cells.append(f"{100.0 * p['categories'].get(c, 0) / busy:.0f}%" if busy else "-")
        md.append(f"| {c} | " + " | ".join(cells) + " |")
    md.append("| samples of the workload | " + " | ".join(
        f"{p['samples'] - p['categories'].get(idle, 0):,}" for p in profiles) + " |")
    md.append(f"| {idle} (of all samples) | " + " | ".join(
        f"{100.0 * p['categories'].get(idle, 0) / p['samples']:.0f}%" if p["samples"] else "-"
        for p in profiles) + " |")
    md.append("")
    md.append("The methods most often on top of the stack (self time, percent of all samples):")
    md.append("")
    for p in profiles:
        tops = ", ".join(f"`{m}` {100.0 * n / p['samples']:.0f}%" for m, n in p["selfTop"][:6]) if p["samples"] else "-"
        md.append(f"- {p['workload']} (`{p['benchmark']}`): {tops}")
    md.append("")
    return md


def w9_section(by, not_run):
    """W9's table: each remote-channel measure beside the raw event-bus operation, with their ratio."""
    md = ["## W9: channels across JVMs, remote channels vs the raw event bus (µs)", ""]
    rows = by.get(W9_CLASS, [])
    if not rows:
        md += ["Not run in this run.", ""]
        not_run.append("W9")
        return md
    md.append(f"`{W9_CLASS}`: two clustered Vert.x nodes (Hazelcast, TCP join on 127.0.0.1) in one JVM, "
              "node B talking to node A over the clustered event bus's TCP connection. Ratio = remote "
              "channel / raw event bus (above 1 = the remote channel is slower); throughput = 1 / time "
              "per value.")
    md.append("")
    md.append("| measure | csp4j remote channels | ± error | raw Vert.x event bus | ± error | ratio | throughput (values/s) |")
    md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")

    def find(method, params):
        return next((r for r in rows if r["method"] == method and r["params"] == params), None)

    def us(r):
        scale = {"ns/op": 1e-3, "us/op": 1.0, "ms/op": 1e3, "s/op": 1e6}.get(r["unit"])
        return None if scale is None else (r["score"] * scale, r["error"] * scale)

    param_sets = []
    for r in rows:
        if r["params"] not in param_sets:
            param_sets.append(r["params"])
    notes = []
    for params in param_sets:
        suffix = "".join(f", {k}={v}" for k, v in sorted(params.items()))
        for remote, raw, what, remote_does, raw_does in W9_PAIRS:
            c, p = find(remote, params), find(raw, params)
            if not c and not p:
                continue
            cu, pu = (us(c) if c else None), (us(p) if p else None)
            ratio = f"{cu[0] / pu[0]:.2f}" if cu and pu else "-"
            tput = (f"{1e6 / cu[0]:,.0f} vs {1e6 / pu[0]:,.0f}" if cu and pu and "per value" in what else "-")
            md.append(f"| {what}{suffix} | {fmt(cu[0]) if cu else 'no result'} | {fmt(cu[1]) if cu else '-'} | "
                      f"{fmt(pu[0]) if pu else 'no result'} | {fmt(pu[1]) if pu else '-'} | {ratio} | {tput} |")
            if not params:
                notes.append(f"- {what[0].upper() + what[1:]}: `{remote}` is {remote_does}; `{raw}` is {raw_does}.")
    md.append("")
    if notes:
        md.extend(notes)
        md.append("- The raw `send` has no back-pressure: a sender that outruns its consumer grows both "
                  "nodes' memory without bound, which is what the credit window of a remote channel "
                  "prevents.")
        md.append("")
    return md


def w7_go_note(go, rows):
    """W7 and Go: another workload (10-100 ms spread, overshoot only), so a sentence, not a row."""
    st = {p: go_stat(go, "W7Timeouts10k", p, "ms-over-ideal") for p in sorted(go.get("W7Timeouts10k", {}))}
    st = {p: s for p, s in st.items() if s}
    if not st:
        return "Go is not in W7: its workload differs (see below), and it did not run here."
    d = next((r for r in rows if r["method"] == "csp4j"
              and (r["params"].get("backend"), r["params"].get("mode")) == DEFAULT), None)
    text = ("Go is not a row of W7: its `W7Timeouts10k` spreads its 10,000 timeouts over 10–100 ms and "
            "reports only the wall time over the 100 ms ideal, where the JMH scenario gives all 10,000 "
            "one 10 ms delay and reports the whole batch, so the totals do not compare. Go's overshoot "
            "(median of its counts, min–max): "
            + "; ".join(f"GOMAXPROCS={p} {fmt(s[0])} ms ({fmt(s[1])}–{fmt(s[2])})" for p, s in st.items()))
    if d:
        text += (f". The nearest csp4j figure is the default's overshoot over its 10 ms floor, "
                 f"{fmt(d['score'] - 10)} ms (forkjoin / loop {fmt(d['score'])} ms - 10 ms), but Go's "
                 "timers end over 90 ms rather than at one instant, so even this is only indicative.")
    else:
        text += "."
    return text


if __name__ == "__main__":
    main()
