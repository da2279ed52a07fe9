module io.csp4j.cluster { requires transitive io.csp4j.engine; requires transitive io.vertx.core; exports io.csp4j.cluster; }
