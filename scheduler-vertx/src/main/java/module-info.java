module io.csp4j.vertx {
    requires transitive io.csp4j.spi;
    requires io.vertx.core;
}
