package io.csp4j.cluster; class Placeholder {}
