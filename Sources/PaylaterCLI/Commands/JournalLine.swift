import Foundation
import PaylaterLedger
import PaylaterMoney

/// One line of a ledger journal file (JSON Lines): an account to open or a transfer to submit.
///
/// ```
/// {"op":"open","id":"platform:cash:CNY","currency":"CNY","code":1000}
/// {"op":"open","id":"consumer:c1:credit-available:CNY","currency":"CNY","code":9100,"flags":["debits_must_not_exceed_credits"]}
/// {"op":"transfer","id":"t1","kind":"posted","debit":"a","credit":"b","amount":"12.34","currency":"CNY","code":200}
/// {"op":"transfer","id":"h1","kind":"pending","debit":"a","credit":"b","amount":"5.00","currency":"CNY","code":110,"timeout_seconds":3600}
/// {"op":"transfer","id":"p1","kind":"post","pending_id":"h1","amount":"4.00","currency":"CNY","code":110}
/// {"op":"transfer","id":"v1","kind":"void","pending_id":"h2","code":110,"linked":true,"reference":"order-9"}
/// ```
/// Amounts are exact decimal strings in the currency's minor-unit precision.
struct JournalLine: Decodable {
    enum Entry {
        case open(NewAccount)
        case transfer(TransferRequest)
    }

    let op: String
    let id: String
    let kind: String?
    let debit: String?
    let credit: String?
    let amount: String?
    let currency: String?
    let code: UInt16?
    let flags: [String]?
    let linked: Bool?
    let reference: String?
    let timeout_seconds: Int64?
    let pending_id: String?

    /// Parses one line; errors name the line number and the field at fault.
    static func parse(_ text: Substring, lineNumber: Int, decoder: JSONDecoder) throws(InputError) -> Entry {
        let line: JournalLine
        do {
            line = try decoder.decode(KnownFieldsOnly.self, from: Data(text.utf8)).line
        } catch let error as InputError {
            throw InputError("line \(lineNumber): \(error.message)")
        } catch {
            throw InputError("line \(lineNumber): not a journal entry (\(Self.reason(error)))")
        }
        do {
            return try line.entry()
        } catch let error as InputError {
            throw InputError("line \(lineNumber): \(error.message)")
        } catch {
            throw InputError("line \(lineNumber): \(error)")
        }
    }

    private func entry() throws -> Entry {
        switch op {
        case "open": return .open(try newAccount())
        case "transfer": return .transfer(try transferRequest())
        default: throw InputError("'op' must be 'open' or 'transfer', not '\(op)'")
        }
    }

    private func newAccount() throws -> NewAccount {
        var accountFlags: AccountFlags = []
        for flag in flags ?? [] {
            switch flag {
            case "debits_must_not_exceed_credits": accountFlags.insert(.debitsMustNotExceedCredits)
            case "credits_must_not_exceed_debits": accountFlags.insert(.creditsMustNotExceedDebits)
            default: throw InputError("unknown flag '\(flag)'")
            }
        }
        return NewAccount(
            id: try AccountID(id), currency: try Currency(code: try field(currency, "currency")),
            code: AccountCode(try field(code, "code")), flags: accountFlags)
    }

    private func transferRequest() throws -> TransferRequest {
        let transferKind: TransferKind
        switch try field(kind, "kind") {
        case "posted":
            transferKind = .posted(debit: try account(debit, "debit"), credit: try account(credit, "credit"), amount: try money())
        case "pending":
            transferKind = .pending(
                debit: try account(debit, "debit"), credit: try account(credit, "credit"), amount: try money(),
                timeout: timeout_seconds.map { .seconds($0) })
        case "post":
            transferKind = .postPending(try TransferID(try field(pending_id, "pending_id")), amount: amount == nil ? nil : try money())
        case "void":
            transferKind = .voidPending(try TransferID(try field(pending_id, "pending_id")))
        case let other:
            throw InputError("'kind' must be posted, pending, post or void, not '\(other)'")
        }
        return TransferRequest(
            id: try TransferID(id), kind: transferKind, code: TransferCode(try field(code, "code")),
            isLinked: linked ?? false, reference: reference)
    }

    private func money() throws -> Money {
        try Money(parsing: try field(amount, "amount"), currency: try Currency(code: try field(currency, "currency")))
    }

    private func account(_ value: String?, _ name: String) throws -> AccountID { try AccountID(try field(value, name)) }

    private func field<T>(_ value: T?, _ name: String) throws(InputError) -> T {
        guard let value else { throw InputError("'\(name)' is missing") }
        return value
    }

    /// A line whose every field is one a journal has: a misspelt `timeout_seconds`, `linked` or `flags` would
    /// otherwise be ignored, and the ledger would record a hold that never expires, a transfer outside its chain or
    /// an account without its limit. Read in the same pass as the line.
    private struct KnownFieldsOnly: Decodable {
        static let fields: Set<String> = [
            "op", "id", "kind", "debit", "credit", "amount", "currency", "code", "flags", "linked", "reference",
            "timeout_seconds", "pending_id",
        ]
        let line: JournalLine

        init(from decoder: any Decoder) throws {
            if let unknown = try UnknownKeys.first(in: decoder, allowed: Self.fields) {
                throw InputError("unknown field '\(unknown)' (a journal line has \(Self.fields.sorted().joined(separator: ", ")))")
            }
            line = try JournalLine(from: decoder)
        }
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            "field '\(context.codingPath.map(\.stringValue).joined(separator: "."))' has the wrong type"
        case let DecodingError.keyNotFound(key, _):
            "'\(key.stringValue)' is missing"
        default:
            "malformed JSON"
        }
    }
}
