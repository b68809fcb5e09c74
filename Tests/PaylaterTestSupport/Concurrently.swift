import Dispatch
import Synchronization

/// Runs `body(index)` for every index in `0..<count`, as many at once as Dispatch gives threads, and returns what
/// each returned or threw, in index order.
///
/// For the tests of races: authorizations of one shopper at once never exceeding the limit, one checkout authorized
/// by twelve callers at once, hashes from many threads. A test then says what it expects of the outcomes
/// (`successes()`, `unexpectedFailures(expected:)`) instead of collecting them into locks of its own.
public func concurrently<Value: Sendable, Failure: Error>(
    _ count: Int, _ body: @Sendable (Int) throws(Failure) -> Value
) -> [Result<Value, Failure>] {
    let outcomes = Mutex<[Int: Result<Value, Failure>]>([:])
    DispatchQueue.concurrentPerform(iterations: count) { index in
        let outcome = Result { () throws(Failure) -> Value in try body(index) }
        outcomes.withLock { $0[index] = outcome }
    }
    return outcomes.withLock { outcomes in
        (0..<count).map { index in
            guard let outcome = outcomes[index] else { preconditionFailure("index \(index) never ran") }
            return outcome
        }
    }
}

extension Array {
    /// The values returned, in index order, without the errors.
    public func successes<Value, Failure>() -> [Value] where Element == Result<Value, Failure> {
        compactMap { outcome in
            guard case let .success(value) = outcome else { return nil }
            return value
        }
    }

    /// The errors thrown, described, in index order, without those `expected` accepts (such as the refusal a
    /// race's loser gets): a test expects this to be empty, and a failure shows what was thrown.
    public func unexpectedFailures<Value, Failure>(
        expected: (Failure) -> Bool = { _ in false }
    ) -> [String] where Element == Result<Value, Failure> {
        compactMap { outcome in
            guard case let .failure(error) = outcome, !expected(error) else { return nil }
            return "\(error)"
        }
    }
}
