import PaylaterHTTP
import Testing

@Suite("Metrics registry")
struct MetricsTests {
    @Test("counters and histograms render in the Prometheus text format 0.0.4")
    func rendering() {
        let registry = MetricsRegistry()
        let decisions = registry.counter("decisions_total", help: "Decisions made.", labelNames: ["outcome"])
        decisions.increment(labels: ["approved"])
        decisions.increment(labels: ["approved"], by: 2)
        decisions.increment(labels: ["declined"])
        let latency = registry.histogram("latency_seconds", help: "Latency.", buckets: [0.1, 1])
        latency.observe(0.05)
        latency.observe(0.5)
        latency.observe(3)
        #expect(registry.render() == """
            # HELP decisions_total Decisions made.
            # TYPE decisions_total counter
            decisions_total{outcome="approved"} 3
            decisions_total{outcome="declined"} 1
            # HELP latency_seconds Latency.
            # TYPE latency_seconds histogram
            latency_seconds_bucket{le="0.1"} 1
            latency_seconds_bucket{le="1"} 2
            latency_seconds_bucket{le="+Inf"} 3
            latency_seconds_sum 3.55
            latency_seconds_count 3

            """)
        #expect(PrometheusFormat.invalidLines(registry.render()).isEmpty)
    }

    @Test("label values and help text are escaped")
    func escaping() {
        let registry = MetricsRegistry()
        registry.counter("odd_total", help: "Back\\slash\nnewline", labelNames: ["v"]).increment(labels: ["a\"b\\c\nd"])
        let text = registry.render()
        #expect(text.contains(#"# HELP odd_total Back\\slash\nnewline"#))
        #expect(text.contains(#"odd_total{v="a\"b\\c\nd"} 1"#))
        #expect(PrometheusFormat.invalidLines(text).isEmpty)
    }
}
