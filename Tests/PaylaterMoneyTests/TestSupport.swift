import PaylaterMoney
import Testing

/// Case checks for thrown errors whose payload is a free-form message.
extension MoneyError {
    /// Whether this is `.overflow`, whatever the operation.
    var isOverflow: Bool {
        if case .overflow = self { return true }
        return false
    }

    /// Whether this is `.invalidAmount`, whatever the text.
    var isInvalidAmount: Bool {
        if case .invalidAmount = self { return true }
        return false
    }

    /// Whether this is `.invalidWeights`, whatever the reason.
    var isInvalidWeights: Bool {
        if case .invalidWeights = self { return true }
        return false
    }

    /// Whether this is `.invalidRate`, whatever the text.
    var isInvalidRate: Bool {
        if case .invalidRate = self { return true }
        return false
    }
}

/// Shorthand for amounts in tests.
extension Money {
    /// `units` minor units of `currency`, USD unless told.
    static func units(_ units: Int64, _ currency: Currency = .USD) -> Money {
        Money(minorUnits: units, currency: currency)
    }
}

/// Expects `body` to throw `MoneyError.overflow`, whatever operation it names.
func expectOverflow<Result>(
    _ comment: Comment? = nil, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Result
) {
    let error = #expect(throws: MoneyError.self, comment, sourceLocation: sourceLocation) { _ = try body() }
    #expect(error?.isOverflow == true, "got \(String(describing: error))", sourceLocation: sourceLocation)
}
