public import PaylaterLedger
public import PaylaterProducts
import PaylaterStore

/// Why a servicing request was refused; nothing was changed when one is thrown.
public enum ServicingError: Error, Equatable, Sendable, CustomStringConvertible {
    case planNotFound(consumer: String, plan: String)
    /// A plan with this id exists with different terms.
    case planExistsWithDifferentTerms(String)
    /// An operation id must be 1...64 letters, digits or `: . _ - /`.
    case invalidOperationID(String)
    /// The operation id was already used for a different request.
    case operationReused(String)
    /// The plan's rules refused the request.
    case plan(PlanError)
    /// The ledger refused a posting (a limit that would go negative, for example).
    case ledgerRejected(TransferRejection)
    case invalidIdentifier(LedgerError)

    public var description: String {
        switch self {
        case let .planNotFound(consumer, plan): "consumer \(consumer) has no plan \(plan)"
        case let .planExistsWithDifferentTerms(plan): "plan \(plan) already exists with different terms"
        case let .invalidOperationID(id): "\"\(id)\" is not a valid operation id (1 to 64 letters, digits or : . _ - /)"
        case let .operationReused(id): "operation \(id) was already used for a different request"
        case let .plan(error): error.description
        case let .ledgerRejected(rejection): "the ledger refused the posting: \(rejection)"
        case let .invalidIdentifier(error): "\(error)"
        }
    }
}
