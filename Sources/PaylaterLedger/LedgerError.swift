/// Input that can never become a ledger request.
///
/// Business rejections of well-formed requests (an exceeded limit, an unknown account) are not errors: they are
/// per-request results, `TransferRejection` and `AccountRejection`, because a batch can hold both successes and
/// failures.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidAccountID(String, String)
    case invalidTransferID(String, String)
    case invalidPartyID(kind: String, String, String)
    case batchTooLarge(count: Int, maximum: Int)
    case unknownAccountType(UInt16)

    public var description: String {
        switch self {
        case let .invalidAccountID(text, problem): "account id '\(text)' \(problem)"
        case let .invalidTransferID(text, problem): "transfer id '\(text)' \(problem)"
        case let .invalidPartyID(kind, text, problem): "\(kind) id '\(text)' \(problem)"
        case let .batchTooLarge(count, maximum): "a batch holds at most \(maximum) requests, not \(count)"
        case let .unknownAccountType(code): "no account type has code \(code)"
        }
    }
}
