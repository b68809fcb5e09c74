@testable import PaylaterAPI
import PaylaterStore
import Testing

@Suite("Store metrics on /metrics")
struct StoreMetricsTests {
    @Test("a pooled store's retries are counted by code, with give-ups and connections, in Prometheus text")
    func retryExposition() {
        var statistics = TransactionRetryStatistics()
        statistics.retriesByCode = ["40P01": 3, "40001": 1]
        statistics.givenUp = 2
        statistics.connectionsOpen = 4
        statistics.connectionsOpened = 9
        statistics.connectionsDropped = 5
        let samples = MetricsAugmentedRouter.exposition(statistics).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(samples == [
            #"paylater_store_transaction_retries_total{code="40001"} 1"#,
            #"paylater_store_transaction_retries_total{code="40P01"} 3"#,
            "paylater_store_transactions_given_up_total 2",
            "paylater_store_connections 4",
            "paylater_store_connections_opened_total 9",
            "paylater_store_connections_dropped_total 5",
        ])
    }
}
