/**
 * csp4j channels across JVMs on the Vert.x clustered event bus: a node exports a channel under an
 * address, other nodes connect ports to it ({@link io.csp4j.cluster.RemoteChannels}). Links carry
 * their own credit window, sequence numbers and heartbeat; the protocol is in the module's
 * {@code PROTOCOL.md}. Uses the engine's public API ({@code io.csp4j}) and vertx-core only; the
 * cluster manager (Hazelcast, Infinispan, ZooKeeper...) is the application's choice.
 */
module io.csp4j.cluster {
    requires transitive io.csp4j.engine;
    requires transitive io.vertx.core;

    exports io.csp4j.cluster;
}
