package io.csp4j.cluster.example;

import static io.csp4j.Csp.*;

import io.csp4j.AltResult;
import io.csp4j.Chan;
import io.csp4j.cluster.ClusterNodes;
import io.csp4j.cluster.Export;
import io.csp4j.cluster.RemoteChannels;
import io.csp4j.cluster.RemoteOptions;
import io.csp4j.cluster.RemoteReadPort;
import io.csp4j.cluster.RemoteWritePort;
import io.csp4j.cluster.ValueCodec;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./run cluster-pipeline}: three JVMs on 127.0.0.1 clustered with Hazelcast. This one is the
 * producer (exports "jobs") and the sink (exports "results"); two child JVMs are workers that take
 * jobs and put results through remote channels. Worker 2 is killed (kill -9) half-way; its links fail
 * within the link timeout, and the run ends with the counts of values produced, processed, and
 * reported lost. Lives in csp4j-cluster's test sources because it needs vertx-hazelcast, which the
 * module itself does not depend on (the cluster manager is the application's choice).
 */
public final class ClusterPipeline {

    static final int BASE_PORT = 5861;
    static final String CLUSTER = "csp4j-cluster-pipeline";
    /** Window 16; a dead worker's links fail within linkTimeout + heartbeat = 5.5 s. */
    static RemoteOptions options() {
        return new RemoteOptions().window(16).connectTimeout(Duration.ofSeconds(30))
                .heartbeat(Duration.ofMillis(500)).linkTimeout(Duration.ofSeconds(5));
    }

    /** What a run counted. {@code unaccounted} values were in the killed worker's own hands. */
    public record Summary(int produced, int processed, int duplicates, long lost, long unaccounted, long failMillis) {
        @Override
        public String toString() {
            return "produced=" + produced + " processed=" + processed + " lost=" + lost
                    + " (reported by the links) unaccounted=" + unaccounted + " (held by the killed worker's code)"
                    + " duplicates=" + duplicates;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("worker")) {
            worker(args[1]);
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Summary s = run(n, BASE_PORT, "loop", "virtual", ProcessBuilder.Redirect.INHERIT);
        System.out.println(s);
        System.exit(0);
    }

    /** Runs the pipeline: this JVM plus two worker JVMs in the given process modes; kills the second. */
    public static Summary run(int n, int basePort, String mode1, String mode2, ProcessBuilder.Redirect out)
            throws Exception {
        int[] ports = {basePort, basePort + 1, basePort + 2};
        // This node first: the workers then join a running cluster (members starting at the same
        // moment may each form a cluster of their own, merged only minutes later).
        Vertx vertx = ClusterNodes.node(CLUSTER + basePort, ports[0], ports, eb -> eb);
        Process w1 = launchWorker("w1", ports[1], ports, mode1, out);
        Process w2 = launchWorker("w2", ports[2], ports, mode2, out);
        AtomicLong reported = new AtomicLong();
        RemoteChannels remote = join(RemoteChannels.create(vertx, options().onFailure(e -> {
            reported.addAndGet(e.lost());
            System.out.println("reported: " + e.getMessage());
        })));
        try {
            Chan<Integer> jobs = chan(64);
            Chan<Integer> results = chan(64);
            Export jobsExport = join(remote.export("pipeline.jobs", jobs, ValueCodec.of(Integer.class)));
            Export resultsExport = join(remote.export("pipeline.results", results, ValueCodec.of(Integer.class)));
            System.out.println("producer/sink ready; waiting for the workers");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (jobsExport.links() < 2 || resultsExport.links() < 2) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the workers did not connect within 120 s");
                }
                Thread.sleep(20);
            }
            go(() -> {
                for (int i = 0; i < n; i++) {
                    jobs.put(i);
                }
                jobs.close();
            });
            List<Integer> got = new ArrayList<>();
            long killedAt = 0;
            long failedAt = 0;
            while (true) {
                AltResult r = alts(results, timeout(100));
                if (r.from(results) && r.value() != null) {
                    got.add(r.valueAs());
                    if (killedAt == 0 && got.size() >= n / 2) {
                        w2.destroyForcibly(); // kill -9
                        killedAt = System.nanoTime();
                        System.out.println("killed worker w2 after " + got.size() + " results");
                    }
                } else if (jobs.isClosed() && jobsExport.links() == 0 && resultsExport.links() == 0) {
                    Integer last = results.poll(); // every link has ended: at most what is buffered is left
                    if (last == null) {
                        break;
                    }
                    got.add(last);
                }
                if (failedAt == 0 && killedAt != 0 && jobsExport.links() < 2) {
                    failedAt = System.nanoTime();
                }
            }
            Set<Integer> distinct = new HashSet<>(got);
            long lost = jobsExport.lost() + resultsExport.lost();
            w1.waitFor();
            return new Summary(n, distinct.size(), got.size() - distinct.size(), lost, n - distinct.size() - lost,
                    failedAt == 0 ? -1 : (failedAt - killedAt) / 1_000_000);
        } finally {
            w1.destroyForcibly();
            w2.destroyForcibly();
            join(remote.close());
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    /** A worker: squares nothing, just forwards each job as a result, a little slowly. */
    static void worker(String name) throws Exception {
        String[] p = System.getProperty("pipeline.ports").split(",");
        int[] ports = {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
        int port = Integer.parseInt(System.getProperty("pipeline.port"));
        Vertx vertx = ClusterNodes.node(CLUSTER + ports[0], port, ports, eb -> eb);
        RemoteChannels remote = join(RemoteChannels.create(vertx, options()));
        RemoteReadPort<Integer> jobs = retryConnect(() -> join(remote.connectReader("pipeline.jobs", ValueCodec.of(Integer.class))));
        RemoteWritePort<Integer> results = retryConnect(() -> join(remote.connectWriter("pipeline.results", ValueCodec.of(Integer.class))));
        long done = join(goFuture(() -> {
            long k = 0;
            for (Integer job; (job = jobs.take()) != null; ) {
                sleep(2);
                results.put(job);
                k++;
            }
            results.close();
            return k;
        }));
        System.out.println("worker " + name + " (" + processMode() + " mode) processed " + done);
        Thread.sleep(300); // let END reach the sink
        join(remote.close());
        vertx.close().toCompletionStage().toCompletableFuture().join();
        System.exit(0);
    }

    static <T> T retryConnect(java.util.function.Supplier<T> connect) throws InterruptedException {
        for (int i = 0; ; i++) {
            try {
                return connect.get();
            } catch (RuntimeException e) {
                if (i > 600) {
                    throw e;
                }
                Thread.sleep(100); // the owner is still starting: connect does not wait by design
            }
        }
    }

    static Process launchWorker(String name, int port, int[] ports, String mode, ProcessBuilder.Redirect out)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.vm=ALL-UNNAMED",
                "-Dcsp4j.processes=" + mode, "-Dpipeline.port=" + port,
                "-Dpipeline.ports=" + ports[0] + "," + ports[1] + "," + ports[2],
                "-cp", System.getProperty("java.class.path"), ClusterPipeline.class.getName(), "worker", name);
        pb.redirectErrorStream(true).redirectOutput(out);
        return pb.start();
    }

    static <T> T join(java.util.concurrent.CompletionStage<T> s) {
        return s.toCompletableFuture().join();
    }
}
