#!/usr/bin/env python3
"""Writes docs/benchmarks.md from one JMH run (JSON) and the heap-per-process file.

One table per scenario (W1-W7) with csp4j on every backend and mode and the peers side by side,
mean +/- error (JMH's 99.9% interval), the ratio to the best peer (below 1 = faster than it), the
machine it ran on, and the targets of the issue, each marked met or not. Also writes the rows of the
W1-W4 chart (tab-separated) for io.csp4j.benchmarks.Chart. Standard library only.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess

SCENARIOS = [
    ("PingPongBenchmark", "W1", "Unbuffered ping-pong", "ns per round trip"),
    ("BufferedOneToOneBenchmark", "W2", "buffered(128), 1 producer -> 1 consumer", "ns per item"),
    ("BufferedFourToFourBenchmark", "W3", "buffered(128), 4 producers -> 4 consumers", "ns per item"),
    ("FanInAltsBenchmark", "W4", "alts fan-in over 4 unbuffered channels", "ns per item"),
    ("SpawnBenchmark", "W5", "Spawn cost (start, run, end a process)", "ns per process"),
    ("PrimeSieveBenchmark", "W6", "Go's prime sieve to the 2,000th prime", "ms per sieve"),
    ("TimeoutsBenchmark", "W7", "10,000 concurrent 10 ms timeouts", "ms per batch (floor: 10 ms)"),
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


def load(path):
    with open(path) as f:
        return json.load(f)


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


def fmt(x):
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 10:
        return f"{x:,.1f}"
    return f"{x:,.2f}"


def csp4j_rows(rows):
    cs = [r for r in rows if r["method"] == "csp4j"]
    return sorted(cs, key=lambda r: (BACKEND_ORDER.index(r["params"].get("backend", "forkjoin")),
                                     MODE_ORDER.index(r["params"].get("mode", "loop"))))


def peer_rows(rows):
    return sorted([r for r in rows if r["method"] != "csp4j"], key=lambda r: r["score"])


def label(r):
    if r["method"] == "csp4j":
        return f"csp4j {r['params'].get('backend')} / {r['params'].get('mode')}"
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


def targets(by):
    """Each target of the issue: (text, verdict, evidence)."""
    out = []

    def best_peer(cls, methods=None):
        ps = [r for r in by.get(cls, []) if r["method"] != "csp4j" and (methods is None or r["method"] in methods)]
        return min(ps, key=lambda r: r["score"]) if ps else None

    def csp(cls, backend=None, mode=None):
        return [r for r in by.get(cls, []) if r["method"] == "csp4j"
                and (backend is None or r["params"].get("backend") == backend)
                and (mode is None or r["params"].get("mode") == mode)]

    def best(rows):
        return min(rows, key=lambda r: r["score"]) if rows else None

    # W1
    lane = best(csp("PingPongBenchmark", "forkjoin-1"))
    bp = best_peer("PingPongBenchmark")
    if lane and bp:
        ok = lane["score"] < bp["score"]
        out.append(("W1 on a single-thread lane faster than every peer", ok,
                    f"{label(lane)} {fmt(lane['score'])} ns vs best peer {label(bp)} {fmt(bp['score'])} ns"))
    else:
        out.append(("W1 on a single-thread lane faster than every peer", None, "not run"))
    # W2, W3
    for cls, w in (("BufferedOneToOneBenchmark", "W2"), ("BufferedFourToFourBenchmark", "W3")):
        c, p = best(csp(cls)), best_peer(cls)
        text = f"{w} within 1.2x of the fastest peer"
        if c and p:
            out.append((text, c["score"] <= 1.2 * p["score"],
                        f"best csp4j ({label(c)}) {fmt(c['score'])} ns = {c['score'] / p['score']:.2f}x "
                        f"{label(p)} {fmt(p['score'])} ns"))
        else:
            out.append((text, None, "not run"))
    # W4
    c = best(csp("FanInAltsBenchmark"))
    ps = [r for r in by.get("FanInAltsBenchmark", []) if r["method"] != "csp4j"]
    if c and ps:
        ok = all(c["score"] < p["score"] for p in ps)
        out.append(("W4 faster than kotlinx select and jox select", ok,
                    f"best csp4j ({label(c)}) {fmt(c['score'])} ns vs "
                    + ", ".join(f"{label(p)} {fmt(p['score'])} ns" for p in ps)))
    else:
        out.append(("W4 faster than kotlinx select and jox select", None, "not run"))
    return out


def heap_targets(heap):
    loop = [h for h in heap if h["subject"] == "csp4j" and h["mode"] == "loop"]
    if not loop:
        return [("W5 heap per parked process <= 700 bytes in loop mode", None, "not run")]
    worst = max(loop, key=lambda h: h["bytesPerProcess"])
    return [("W5 heap per parked process <= 700 bytes in loop mode", worst["bytesPerProcess"] <= 700,
             f"worst loop-mode figure {worst['bytesPerProcess']:.0f} bytes ({worst['backend']}, "
             f"{worst['processes']:,} parked)")]


def spawn_target(by):
    rows = by.get("SpawnBenchmark", [])
    loop = [r for r in rows if r["method"] == "csp4j" and r["params"].get("mode") == "loop"]
    vt = [r for r in rows if r["method"] == "jdkVirtualThread"]
    if not loop or not vt:
        return [("W5 spawn faster than a virtual thread's", None, "not run")]
    c = min(loop, key=lambda r: r["score"])
    return [("W5 spawn faster than a virtual thread's", c["score"] < vt[0]["score"],
             f"best loop-mode csp4j ({label(c)}) {fmt(c['score'])} ns vs virtual thread {fmt(vt[0]['score'])} ns")]


def verdict(v):
    return "**met**" if v is True else ("**not met**" if v is False else "not run")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--jmh", required=True)
    ap.add_argument("--heap")
    ap.add_argument("--jmh-opts", default="")
    ap.add_argument("--java", default="java")
    ap.add_argument("--out", required=True)
    ap.add_argument("--chart-data", required=True)
    a = ap.parse_args()

    results = load(a.jmh)
    by = rows_by_scenario(results)
    heap = []
    if a.heap and os.path.exists(a.heap):
        with open(a.heap) as f:
            heap = [json.loads(line) for line in f if line.strip()]

    md = []
    md.append("# csp4j benchmarks")
    md.append("")
    md.append("Written by `./run bench` (benchmarks/bench) from one JMH run: csp4j on every backend and "
              "process mode and its peers (JDK queues on virtual threads, jox, kotlinx.coroutines) "
              "side by side, in the same JVM build and the same run. Scenarios: DESIGN.md section 6.")
    md.append("")
    md.append(f"- Machine: {machine(results, a.java)}")
    md.append(f"- Date: {datetime.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}")
    md.append(f"- JMH 1.37, settings `{a.jmh_opts}`, one fork per benchmark, average time; "
              "error = JMH's 99.9% confidence half-width over the 3 measurement iterations.")
    md.append("- **Noisy numbers.** This run shared a 2-core machine with other builds and test runs, "
              "so absolute figures and small differences (under ~20%) are not reliable; rerun "
              "`./run bench` on a quiet machine before drawing conclusions.")
    md.append("- Ratio = score / best peer's score in the same table: below 1 is faster than the "
              "best peer. Lower scores are better everywhere.")
    md.append("- Backends: `forkjoin` (ForkJoinDispatcher, one worker per core), `forkjoin-1` (a "
              "single-thread lane, `new ForkJoinDispatcher(1)`), `vertx` (`VertxDispatcher.create()`), "
              "`netty` (`new NettyDispatcher(nproc)`); modes `loop` (continuations on the dispatcher) "
              "and `virtual` (virtual threads).")
    md.append("")

    md.append("## Targets")
    md.append("")
    md.append("| target | verdict | evidence |")
    md.append("| --- | --- | --- |")
    for text, v, ev in targets(by) + heap_targets(heap) + spawn_target(by):
        md.append(f"| {text} | {verdict(v)} | {ev} |")
    md.append("")
    md.append("![W1-W4: csp4j (blue) and peers (grey)](benchmarks-w1-w4.png)")
    md.append("")

    not_run = []
    chart = []
    for cls, w, title, unit in SCENARIOS:
        rows = by.get(cls)
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
        md.append(f"| implementation | score ({rows[0]['unit']}) | ± error | ratio to best peer |")
        md.append("| --- | ---: | ---: | ---: |")
        for r in csp4j_rows(rows) + peers:
            ratio = f"{r['score'] / bp:.2f}" if bp else "-"
            name = label(r)
            if r["method"] == "csp4j":
                name = f"**{name}**"
            md.append(f"| {name} | {fmt(r['score'])} | {fmt(r['error'])} | {ratio} |")
        have = {(r["params"].get("backend"), r["params"].get("mode")) for r in rows if r["method"] == "csp4j"}
        missing = [f"{b} / {m}" for b in BACKEND_ORDER for m in MODE_ORDER if (b, m) not in have]
        if missing:
            md.append("")
            md.append("**No result** for csp4j " + ", ".join(missing) + ": the benchmark failed in this run "
                      "(a process died or the scenario did not finish within 60 s; see the JMH log).")
        md.append("")
        if w in ("W1", "W2", "W3", "W4"):
            for r in csp4j_rows(rows) + peers:
                chart.append("\t".join([f"{w}: {title}", label(r).replace("csp4j ", ""),
                                        "csp4j" if r["method"] == "csp4j" else "peer",
                                        repr(r["score"]), repr(r["error"]), rows[0]["unit"]]))
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

    md.append("## W5: heap per parked process")
    md.append("")
    if heap:
        md.append("`HeapPerProcess` (a main of its own, `-Xmx6g`): N processes parked on a take from one "
                  "channel that never gets a value; used heap after full GCs (MemoryMXBean), growth / N. "
                  "Includes everything a parked process keeps alive (continuation or stack, result "
                  "channel, pending take).")
        md.append("")
        md.append("| subject | backend | mode | parked | bytes per parked process |")
        md.append("| --- | --- | --- | ---: | ---: |")
        for h in heap:
            md.append(f"| {h['subject']} | {h['backend']} | {h['mode']} | {h['processes']:,} | "
                      f"{h['bytesPerProcess']:,.0f} |")
    else:
        md.append("Not run in this run.")
        not_run.append("W5 heap")
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


if __name__ == "__main__":
    main()
