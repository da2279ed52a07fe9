/*
 * The csp4j benchmark scenarios (benchmarks/README.md, W1-W7) written with kotlinx.coroutines
 * channels: the Kotlin peers that the JMH benchmarks in csp4j-benchmarks run in the same JVM and
 * the same run as csp4j. Each scenario is a plain blocking function (runBlocking inside), callable
 * from Java as KotlinPeers.pingPong(...), and runs either on Dispatchers.Default or on one shared
 * single-thread dispatcher (singleThread = true), the peer of csp4j's single-thread lane.
 *
 * Every function returns a value computed from all the items it moved (a sum, a count, a prime),
 * so the JIT cannot drop the work and callers can check nothing was lost.
 */
package io.csp4j.benchmarks.peers

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.channels.ReceiveChannel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.selects.select
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger

/** The Kotlin peers of W1-W7; thread-safe, every function blocks its caller until the scenario ends. */
object KotlinPeers {

    /** One daemon thread shared by every single-thread run (started on first use, never stopped). */
    private val singleThreadDispatcher: CoroutineDispatcher by lazy {
        Executors.newSingleThreadExecutor { r ->
            Thread(r, "kotlin-peers-single").apply { isDaemon = true }
        }.asCoroutineDispatcher()
    }

    private fun dispatcher(singleThread: Boolean): CoroutineDispatcher =
        if (singleThread) singleThreadDispatcher else Dispatchers.Default

    /** W1: [rounds] round trips over two rendezvous channels; returns the sum of the echoed values. */
    @JvmStatic
    fun pingPong(rounds: Int, singleThread: Boolean): Long = runBlocking(dispatcher(singleThread)) {
        val ping = Channel<Int>()
        val pong = Channel<Int>()
        launch {
            repeat(rounds) { pong.send(ping.receive()) }
        }
        var sum = 0L
        for (i in 0 until rounds) {
            ping.send(i)
            sum += pong.receive()
        }
        sum
    }

    /**
     * W2/W3: [producers] coroutines send [items] values in all (split evenly) over one channel of
     * [capacity] to [consumers] coroutines; returns the sum of what the consumers received.
     */
    @JvmStatic
    fun buffered(items: Int, producers: Int, consumers: Int, capacity: Int, singleThread: Boolean): Long =
        runBlocking(dispatcher(singleThread)) {
            val ch = Channel<Int>(capacity)
            val total = java.util.concurrent.atomic.AtomicLong()
            val perProducer = items / producers
            val senders = List(producers) { p ->
                launch {
                    val base = p * perProducer
                    for (i in 0 until perProducer) ch.send(base + i)
                }
            }
            val receivers = List(consumers) {
                launch {
                    var sum = 0L
                    for (v in ch) sum += v
                    total.addAndGet(sum)
                }
            }
            senders.forEach { it.join() }
            ch.close()
            receivers.forEach { it.join() }
            total.get()
        }

    /**
     * W4: [channels] producers each send [perChannel] values on a rendezvous channel of their own;
     * one consumer takes them all with select; returns their sum.
     */
    @JvmStatic
    fun fanInSelect(channels: Int, perChannel: Int, singleThread: Boolean): Long =
        runBlocking(dispatcher(singleThread)) {
            val chans = List(channels) { Channel<Int>() }
            chans.forEachIndexed { c, ch ->
                launch { for (i in 0 until perChannel) ch.send(c * perChannel + i) }
            }
            var sum = 0L
            repeat(channels * perChannel) {
                sum += select<Int> { chans.forEach { ch -> ch.onReceive { it } } }
            }
            sum
        }

    /** W5: launches [n] coroutines that each count down once; returns the count (n). */
    @JvmStatic
    fun spawn(n: Int, singleThread: Boolean): Int = runBlocking(dispatcher(singleThread)) {
        val count = AtomicInteger()
        coroutineScope {
            repeat(n) { launch { count.incrementAndGet() } }
        }
        count.get()
    }

    /**
     * W5 heap: parks [n] coroutines on receive from one rendezvous channel (on Dispatchers.Default)
     * and returns once all are parked; running the returned Runnable closes the channel and waits
     * until all have ended.
     */
    @JvmStatic
    fun parkCoroutines(n: Int): Runnable {
        val gate = Channel<Int>()
        val started = AtomicInteger()
        val job = Job()
        val scope = kotlinx.coroutines.CoroutineScope(Dispatchers.Default + job)
        repeat(n) {
            scope.launch {
                started.incrementAndGet()
                gate.receiveCatching()
            }
        }
        while (started.get() < n) Thread.onSpinWait()
        return Runnable {
            gate.close()
            runBlocking { job.children.forEach { it.join() } }
        }
    }

    /** W6: Go's concurrent prime sieve; returns the [count]-th prime (17,389 for 2,000). */
    @JvmStatic
    fun primeSieve(count: Int, limit: Int, singleThread: Boolean): Int = runBlocking(dispatcher(singleThread)) {
        var ch: ReceiveChannel<Int> = Channel<Int>().also { gen ->
            launch {
                for (i in 2..limit) gen.send(i)
                gen.close()
            }
        }
        var prime = 0
        repeat(count) {
            prime = ch.receive()
            val input = ch
            val out = Channel<Int>()
            val p = prime
            launch {
                for (v in input) if (v % p != 0) out.send(v)
                out.close()
            }
            ch = out
        }
        for (rest in ch) prime = maxOf(prime, rest)
        prime
    }

    /** W7: [n] coroutines each wait [millis] ms with delay; returns how many finished (n). */
    @JvmStatic
    fun timeouts(n: Int, millis: Long, singleThread: Boolean): Int = runBlocking(dispatcher(singleThread)) {
        val done = AtomicInteger()
        coroutineScope {
            repeat(n) {
                launch {
                    delay(millis)
                    done.incrementAndGet()
                }
            }
        }
        done.get()
    }
}
