package io.github.yototokenkeeper.web;

/** Registry names of the web layer's beans. */
public final class WebBeans {

    public static final String HEADER_FILTER = "yotoKeeperWebHeaderFilter";

    private WebBeans() {
    }
}
