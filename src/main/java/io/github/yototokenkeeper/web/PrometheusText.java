package io.github.yototokenkeeper.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Prometheus text of a Micrometer registry. Kept apart: only loaded when the Prometheus registry is present. */
final class PrometheusText {

    private PrometheusText() {
    }

    static boolean applies(MeterRegistry registry) {
        return registry.getClass().getName().equals("io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
    }

    static String scrape(MeterRegistry registry) {
        return ((PrometheusMeterRegistry) registry).scrape();
    }
}
