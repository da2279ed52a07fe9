module io.csp4j.tck {
    requires transitive io.csp4j.engine;
}
