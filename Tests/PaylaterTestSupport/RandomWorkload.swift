public import PaylaterLedger
import PaylaterMoney
public import PaylaterTime

/// Random ledger requests for property tests: transfers, holds, posts, voids, timeouts, links and retries.
public enum RandomWorkload {
    /// A random request: mostly new transfers, sometimes an exact retry of an earlier one.
    public static func request(
        id: String, accounts: [AccountID], holds: [TransferID], submitted: [TransferRequest],
        using random: inout SplitMix64
    ) throws -> TransferRequest {
        if !submitted.isEmpty, Int.random(in: 0..<10, using: &random) == 0 {
            var retry = submitted.randomElement(using: &random)!
            retry.isLinked = false
            return retry
        }
        let debit = accounts.randomElement(using: &random)!
        let credit = accounts.randomElement(using: &random)!
        let amount = Money(minorUnits: Int64.random(in: -5...5_000, using: &random), currency: .CNY)
        let kind: TransferKind
        switch Int.random(in: 0..<10, using: &random) {
        case 0..<4:
            kind = .posted(debit: debit, credit: credit, amount: amount)
        case 4..<7:
            let timeout: Duration? = Bool.random(using: &random) ? .seconds(Int64.random(in: 1...90, using: &random)) : nil
            kind = .pending(debit: debit, credit: credit, amount: amount, timeout: timeout)
        case 7..<9 where !holds.isEmpty:
            let partial = Bool.random(using: &random) ? Money(minorUnits: Int64.random(in: 1...3_000, using: &random), currency: .CNY) : nil
            kind = .postPending(holds.randomElement(using: &random)!, amount: partial)
        default:
            kind = holds.isEmpty
                ? .posted(debit: debit, credit: credit, amount: amount)
                : .voidPending(holds.randomElement(using: &random)!)
        }
        return TransferRequest(
            id: try TransferID(id), kind: kind, code: TransferCode(1), isLinked: Int.random(in: 0..<4, using: &random) == 0)
    }
}
