module io.csp4j.engine {
    requires transitive io.csp4j.spi;
}
