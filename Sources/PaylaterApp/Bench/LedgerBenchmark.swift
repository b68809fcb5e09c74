import Dispatch
import Foundation
import PaylaterLedger
import PaylaterMoney
import PaylaterTime
import Synchronization

/// A synthetic load for the ledger: random transfers between many accounts, submitted in batches, timed.
///
/// Everything is generated before the clock starts, so the figure measures the ledger and its store only.
public struct LedgerBenchmark: Sendable {
    public struct Configuration: Sendable {
        public var transfers: Int
        public var batchSize: Int
        public var accounts: Int
        public var seed: UInt64
        /// How many threads submit batches at once, each on its own connection where the store has a pool.
        public var connections: Int

        public init(transfers: Int, batchSize: Int, accounts: Int = 10_000, seed: UInt64 = 42, connections: Int = 1) {
            self.transfers = transfers
            self.batchSize = batchSize
            self.accounts = accounts
            self.seed = seed
            self.connections = connections
        }
    }

    /// What a run measured.
    public struct Report: Sendable {
        public let transfers: Int
        public let batches: Int
        public let elapsed: Duration
        public let rejected: Int

        /// Transfers per second, rounded down; a display figure, never money.
        public var transfersPerSecond: Int {
            let (seconds, attoseconds) = elapsed.components
            let nanoseconds = Int128(seconds) * 1_000_000_000 + Int128(attoseconds / 1_000_000_000)
            guard nanoseconds > 0 else { return 0 }
            return Int(Int128(transfers) * 1_000_000_000 / nanoseconds)
        }
    }

    public let configuration: Configuration

    public init(_ configuration: Configuration) {
        precondition(configuration.accounts >= 2 && configuration.transfers >= 1 && configuration.connections >= 1)
        precondition((1...LedgerEngine.batchSizeMaximum).contains(configuration.batchSize))
        self.configuration = configuration
    }

    /// Opens the accounts, then submits the transfers batch by batch and times the submissions.
    public func run(on ledger: LedgerService, runID: String) throws -> Report {
        let accounts = try (0..<configuration.accounts).map { try AccountID("bench:\(runID):\($0)") }
        for start in stride(from: 0, to: accounts.count, by: LedgerEngine.batchSizeMaximum) {
            let chunk = accounts[start..<min(start + LedgerEngine.batchSizeMaximum, accounts.count)]
            _ = try ledger.openAccounts(chunk.map { NewAccount(id: $0, currency: .CNY, code: AccountCode(1)) })
        }
        let batches = try makeBatches(accounts, runID: runID)
        let started = ContinuousClock.now
        let rejected = try submit(batches, on: ledger)
        let elapsed = ContinuousClock.now - started
        return Report(transfers: configuration.transfers, batches: batches.count, elapsed: elapsed, rejected: rejected)
    }

    /// Submits the batches from `connections` threads (batch i on thread i mod connections); returns how many
    /// transfers were rejected, or rethrows the first error a thread met.
    private func submit(_ batches: [[TransferRequest]], on ledger: LedgerService) throws -> Int {
        let threads = min(configuration.connections, batches.count)
        let outcome = Mutex<(rejected: Int, error: (any Error)?)>((0, nil))
        let finished = DispatchGroup()
        for worker in 0..<threads {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                do {
                    for batch in stride(from: worker, to: batches.count, by: threads).map({ batches[$0] }) {
                        let rejected = try ledger.submit(batch).filter { !$0.isSuccess }.count
                        outcome.withLock { $0.rejected += rejected }
                    }
                } catch {
                    outcome.withLock { if $0.error == nil { $0.error = error } }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        finished.wait()
        return try outcome.withLock { state in
            if let error = state.error { throw error }
            return state.rejected
        }
    }

    private func makeBatches(_ accounts: [AccountID], runID: String) throws -> [[TransferRequest]] {
        var random = SplitMix64(seed: configuration.seed)
        var batches: [[TransferRequest]] = []
        var batch: [TransferRequest] = []
        batch.reserveCapacity(configuration.batchSize)
        for index in 0..<configuration.transfers {
            let debit = Int(random.next() % UInt64(accounts.count))
            let offset = 1 + Int(random.next() % UInt64(accounts.count - 1))
            let credit = (debit + offset) % accounts.count
            let amount = Money(minorUnits: Int64(1 + random.next() % 100_000), currency: .CNY)
            batch.append(TransferRequest(
                id: try TransferID("bench:\(runID):t\(index)"),
                kind: .posted(debit: accounts[debit], credit: accounts[credit], amount: amount),
                code: TransferType.benchmark.code))
            if batch.count == configuration.batchSize {
                batches.append(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { batches.append(batch) }
        return batches
    }
}
