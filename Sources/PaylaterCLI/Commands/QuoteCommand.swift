import Foundation
import PaylaterMoney
import PaylaterProducts
import PaylaterTime

/// `paylater quote --product ID --amount 199.00 --currency CNY --date 2026-11-24 [--catalog FILE] [--json]`: the
/// schedule, total cost and APRs of one catalog product for one purchase.
enum QuoteCommand: Command {
    /// The largest catalog file accepted, in bytes.
    static let fileSizeMaximum = 1 << 20

    static let spec = CommandSpec(
        path: ["quote"],
        summary: "Quote a product: its installment schedule, total cost and APR for an amount on a date.",
        discussion: """
            Without --catalog the built-in catalog is used (try-then-pay, pay-in-4, monthly-split-6, financing-12, \
            sold in CN under a 24% cn-irr cap). A catalog FILE is JSON: {"jurisdiction":"CN","rate_caps":[...],\
            "products":[...]}; see ProductCatalog for its fields. Unknown fields are refused.
            Prints each installment (number, due date, principal, fee, total), the total cost, and the APR by \
            us-regz, eu and cn-irr with 4 decimals; with --json an object. A payment due on the purchase date \
            (pay-in-4's first part) reduces the amount advanced rather than counting as a repayment.
            A monthly_bill product (月付) is quoted as paying the statement in full (one installment on the \
            statement's due date, at no cost), followed by one line per split it offers: the installments, the first \
            due date (the next statement's), the total cost and the APRs, priced from the statement's due date; with \
            --json they are under "splits".
            Exit codes: 0 success, 2 a usage mistake, a bad catalog (the field is named), an amount outside the \
            product's limits or a quote above the jurisdiction's APR cap.
            """,
        options: [
            .value("product", "ID", "The product id, such as pay-in-4."),
            .value("amount", "AMOUNT", "The purchase amount, a decimal in the currency's precision: 199.00."),
            .value("currency", "CODE", "The ISO 4217 currency: CNY."),
            .value("date", "DATE", "The purchase date, ISO 8601: 2026-11-24."),
            .value("catalog", "FILE", "A product catalog JSON file (default: the built-in catalog)."),
            .flag("json", "Print a JSON object instead of text."),
        ])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let productID = try arguments.required("product")
        let currencyCode = try arguments.required("currency")
        let currency: Currency
        do { currency = try Currency(code: currencyCode) } catch { throw UsageError("'--currency': \(error.description)") }
        let amountText = try arguments.required("amount")
        let amount: Money
        do { amount = try Money(parsing: amountText, currency: currency) } catch {
            throw UsageError("'--amount': \(error.description)")
        }
        let dateText = try arguments.required("date")
        let date: LocalDate
        do { date = try LocalDate(iso8601: dateText) } catch { throw UsageError("'--date': \(error.description)") }
        let catalog = try arguments.value("catalog").map(readCatalog) ?? ProductCatalog.standard
        let quote: Quote
        let splits: [SplitQuote]?
        do {
            quote = try catalog.quote(productID: productID, amount: amount, date: date)
            splits =
                quote.product.monthlyBill == nil
                ? nil : try catalog.quoteSplits(productID: productID, amount: amount, date: date)
        } catch .unknownProduct(let id) {
            // Say what there is: the built-in catalog has no monthly bill, which config/catalog.example.json has.
            let offered = catalog.products.map(\.id).joined(separator: ", ")
            let which = arguments.value("catalog") == nil ? "the built-in catalog (--catalog FILE for another)" : "the catalog"
            throw InputError("there is no product \"\(id)\" in \(which); it has \(offered)")
        } catch {
            throw InputError(error.description)
        }
        if arguments.flag("json") {
            context.console.out(try json(quote, splits: splits))
        } else {
            context.console.out([text(quote), splits.map(text)].compactMap { $0 }.joined(separator: "\n"))
        }
        return .success
    }

    static func readCatalog(_ path: String) throws(InputError) -> ProductCatalog {
        try readCatalogAndZone(path).catalog
    }

    /// A catalog and the rules of its `time_zone` (nil for UTC), from the system's zone database: a name the
    /// database does not have is refused with the field, before anything runs on the wrong calendar.
    static func readCatalogAndZone(_ path: String) throws(InputError) -> (catalog: ProductCatalog, zone: TimeZoneRules?) {
        let data = try InputFile.data(path, maximumBytes: fileSizeMaximum)
        let catalog: ProductCatalog
        do { catalog = try ProductCatalog(json: data) } catch { throw InputError("\(path): \(error.description)") }
        guard let name = catalog.timeZone else { return (catalog, nil) }
        do { return (catalog, try TimeZoneDatabase.system.rules(for: name)) } catch {
            throw InputError("\(path): time_zone: \(error)")
        }
    }

    /// A table for people, then the cost and the three APRs.
    static func text(_ quote: Quote) -> String {
        let currency = quote.amount.currency.code
        var lines = ["\(quote.product.id): \(quote.amount.decimalString) \(currency) on \(quote.date)"]
        lines.append(row("#", "due", "principal", "fee", "total"))
        for installment in quote.schedule.installments {
            lines.append(
                row(
                    "\(installment.number)", "\(installment.dueDate)", installment.principal.decimalString,
                    installment.fee.decimalString, installment.total.decimalString))
        }
        lines.append("total cost \(quote.totalCost.decimalString) \(currency); total repaid \(quote.schedule.total.decimalString) \(currency)")
        for apr in quote.aprs {
            lines.append("APR \(apr.percentString(decimals: 4))% (\(apr.method.rawValue))")
        }
        return lines.joined(separator: "\n")
    }

    /// One line per split of a monthly bill.
    static func text(_ splits: [SplitQuote]) -> String {
        guard let statement = splits.first?.statement else { return "no splits offered" }
        var lines = ["splits instead of paying the statement of \(statement.statementDate) on \(statement.dueDate):"]
        for split in splits {
            let schedule = split.quote.schedule
            let aprs = split.quote.aprs.map { "\($0.percentString(decimals: 4))% (\($0.method.rawValue))" }
            lines.append(
                "  \(split.months) months: first \(schedule.installments[0].total.decimalString) due "
                    + "\(schedule.installments[0].dueDate), total cost \(split.quote.totalCost.decimalString) "
                    + "\(split.quote.amount.currency.code); APR \(aprs.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n")
    }

    private static func row(_ number: String, _ due: String, _ principal: String, _ fee: String, _ total: String) -> String {
        func left(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        return "\(right(number, 3))  \(left(due, 10))  \(right(principal, 14))  \(right(fee, 12))  \(right(total, 14))"
    }

    /// The JSON output: amounts as decimal strings, APRs in percent with 4 decimals, keys sorted.
    static func json(_ quote: Quote, splits: [SplitQuote]? = nil) throws -> String {
        struct Line: Encodable {
            let number: Int
            let due_date: String
            let principal: String
            let fee: String
            let total: String
        }
        struct Output: Encodable {
            let product: String
            let amount: String
            let currency: String
            let date: String
            let installments: [Line]
            let total_cost: String
            let total_repaid: String
            let apr: [String: String]
            let splits: [Split]?
        }
        struct Split: Encodable {
            let months: Int
            let installments: [Line]
            let total_cost: String
            let apr: [String: String]
        }
        func lines(_ schedule: InstallmentSchedule) -> [Line] {
            schedule.installments.map {
                Line(
                    number: $0.number, due_date: "\($0.dueDate)", principal: $0.principal.decimalString,
                    fee: $0.fee.decimalString, total: $0.total.decimalString)
            }
        }
        func aprs(_ quote: Quote) -> [String: String] {
            Dictionary(uniqueKeysWithValues: quote.aprs.map { ($0.method.rawValue, $0.percentString(decimals: 4)) })
        }
        let output = Output(
            product: quote.product.id, amount: quote.amount.decimalString, currency: quote.amount.currency.code,
            date: "\(quote.date)",
            installments: lines(quote.schedule), total_cost: quote.totalCost.decimalString,
            total_repaid: quote.schedule.total.decimalString, apr: aprs(quote),
            splits: splits?.map {
                Split(
                    months: $0.months, installments: lines($0.quote.schedule), total_cost: $0.quote.totalCost.decimalString,
                    apr: aprs($0.quote))
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }
}
