module io.csp4j.netty {
    requires transitive io.csp4j.spi;
    requires io.netty.common;
}
