import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime

/// `paylater apr --method us-regz|eu|cn-irr FILE [--json]`: the annual percentage rate of a cash-flow schedule.
enum AprCommand: Command {
    /// The largest schedule file accepted, in bytes.
    static let fileSizeMaximum = 4 << 20

    static let spec = CommandSpec(
        path: ["apr"],
        summary: "Compute the annual percentage rate of a schedule of advances and payments.",
        discussion: """
            FILE is JSON: {"currency":"USD","advances":[{"date":"1978-01-10","amount":"5000.00"}],\
            "payments":[{"date":"1978-02-10","amount":"230.00"}, ...]}. Amounts are decimal strings in the \
            currency's precision; dates are ISO 8601. Payments include every cost: interest and all fees. Any other \
            key (a "fees" array, a "fee" on a payment) is refused with its path, never ignored.
            Methods: us-regz (Regulation Z Appendix J actuarial method, nominal), eu (Consumer Credit Directive \
            Annex I, effective; whole months count 1/12 of a year, other days 1/365), cn-irr (PBOC 2021 No. 3: \
            compound IRR per payment period; the simple rate, periodic rate × periods per year, is shown labelled).
            Prints 'APR 9.6900% (us-regz)'; with --json an object whose "apr" is the rate in percent.
            Exit codes: 0 success, 2 a usage mistake or a bad file (unreadable, malformed, no rate solves it, or \
            the rate is 100,000,000% a year or more, as a short, expensive advance compounded to a year can be).
            """,
        options: [
            .value("method", "METHOD", "us-regz, eu or cn-irr."),
            .flag("json", "Print a JSON object instead of a line of text."),
        ],
        positionals: [PositionalSpec("FILE", "The schedule, a JSON file.")])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let methodText = try arguments.required("method")
        guard let method = APRMethod(rawValue: methodText) else {
            let allowed = APRMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw UsageError("'--method' must be one of \(allowed), not '\(methodText)'")
        }
        guard let path = arguments.positionals.first else { throw UsageError("FILE is required") }
        let schedule = try AprScheduleFile.read(path)
        let result: APRResult
        do { result = try APRCalculator.apr(schedule, method: method) } catch {
            throw InputError("\(path): \(error.description)")
        }
        context.console.out(arguments.flag("json") ? try json(result) : text(result))
        return .success
    }

    /// One line for people, with the simple rate labelled when there is one.
    static func text(_ result: APRResult) -> String {
        var line = "APR \(result.percentString(decimals: 4))% (\(result.method.rawValue)"
        if result.method == .cnIRR { line += ", compound IRR" }
        line += ")"
        if let simple = result.simpleAnnualRate {
            line += "; simple annualised rate \(APRResult.percent(simple, decimals: 4))% (simple: periodic rate × periods per year)"
        }
        return line
    }

    /// The JSON output: rates as percent strings with 4 decimals, keys sorted.
    static func json(_ result: APRResult) throws -> String {
        struct Output: Encodable {
            let apr: String
            let method: String
            let unit_period: String
            let periodic_rate_percent: String
            let simple_apr: String?
        }
        let output = Output(
            apr: result.percentString(decimals: 4), method: result.method.rawValue, unit_period: result.period.description,
            periodic_rate_percent: APRResult.percent(result.periodicRate, decimals: 8),
            simple_apr: result.simpleAnnualRate.map { APRResult.percent($0, decimals: 4) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}

/// The JSON schedule file `paylater apr` reads; errors name the field at fault.
///
/// A key the file does not have is refused with its path: a `fees` array, or a `fee` on a payment, would otherwise
/// be left out of the rate without a word (payments must include every cost).
struct AprScheduleFile: Decodable {
    struct Flow: Decodable {
        let date: String
        let amount: String

        init(from decoder: any Decoder) throws {
            try AprScheduleFile.rejectUnknownKeys(decoder, allowed: ["date", "amount"], owner: "an advance or a payment")
            let container = try decoder.container(keyedBy: AnyKey.self)
            date = try container.decode(String.self, forKey: AnyKey("date"))
            amount = try container.decode(String.self, forKey: AnyKey("amount"))
        }
    }

    let currency: String
    let advances: [Flow]
    let payments: [Flow]

    init(from decoder: any Decoder) throws {
        try Self.rejectUnknownKeys(decoder, allowed: ["currency", "advances", "payments"], owner: "the file")
        let container = try decoder.container(keyedBy: AnyKey.self)
        currency = try container.decode(String.self, forKey: AnyKey("currency"))
        advances = try container.decode([Flow].self, forKey: AnyKey("advances"))
        payments = try container.decode([Flow].self, forKey: AnyKey("payments"))
    }

    private typealias AnyKey = UnknownKeys.AnyKey

    /// Throws an `InputError` naming the first key (in sorted order) not in `allowed`, with its path.
    private static func rejectUnknownKeys(_ decoder: any Decoder, allowed: [String], owner: String) throws {
        if let unknown = try UnknownKeys.first(in: decoder, allowed: Set(allowed)) {
            throw InputError(
                "'\(fieldPath(decoder.codingPath + [AnyKey(unknown)]))' is not a known field (\(owner) has "
                    + "\(allowed.joined(separator: ", ")); payments include every cost)")
        }
    }

    static func read(_ path: String) throws(InputError) -> CashFlowSchedule {
        let data = try InputFile.data(path, maximumBytes: AprCommand.fileSizeMaximum)
        let file: AprScheduleFile
        do { file = try JSONDecoder().decode(AprScheduleFile.self, from: data) } catch let error as InputError {
            throw InputError("\(path): \(error.message)")
        } catch {
            throw InputError("\(path): \(reason(error))")
        }
        do { return try file.schedule() } catch { throw InputError("\(path): \(error.message)") }
    }

    private func schedule() throws(InputError) -> CashFlowSchedule {
        let money: Currency
        do { money = try Currency(code: currency) } catch { throw InputError("'currency': \(error.description)") }
        let advanceFlows = try Self.flows(advances, "advances", money)
        let paymentFlows = try Self.flows(payments, "payments", money)
        do {
            return try CashFlowSchedule(currency: money, advances: advanceFlows, payments: paymentFlows)
        } catch {
            throw InputError(error.description)
        }
    }

    private static func flows(_ flows: [Flow], _ name: String, _ currency: Currency) throws(InputError) -> [(LocalDate, Money)] {
        var result: [(LocalDate, Money)] = []
        for (index, flow) in flows.enumerated() {
            let date: LocalDate
            do { date = try LocalDate(iso8601: flow.date) } catch {
                throw InputError("'\(name)[\(index)].date': \(error.description)")
            }
            let amount: Money
            do { amount = try Money(parsing: flow.amount, currency: currency) } catch {
                throw InputError("'\(name)[\(index)].amount': \(error.description)")
            }
            result.append((date, amount))
        }
        return result
    }

    private static func reason(_ error: any Error) -> String {
        switch error {
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context):
            "field '\(fieldPath(context.codingPath))' has the wrong type"
        case let DecodingError.keyNotFound(key, context):
            "'\(fieldPath(context.codingPath + [key]))' is missing"
        default:
            "malformed JSON"
        }
    }

    /// A coding path as `payments[3].amount`.
    private static func fieldPath(_ path: [any CodingKey]) -> String {
        path.reduce("") { text, key in
            if let index = key.intValue { return text + "[\(index)]" }
            return text.isEmpty ? key.stringValue : text + "." + key.stringValue
        }
    }
}
