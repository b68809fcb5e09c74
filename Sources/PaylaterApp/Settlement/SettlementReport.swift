import PaylaterLedger
import PaylaterMoney
import PaylaterStore
import PaylaterTime

/// A settlement as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote or
/// a line break), so a merchant can match every line of a payout to their orders and books.
///
/// The header is `line,transfer_id,kind,amount,discount,net,order_id,plan_id,currency,merchant_reference,capture_id,
/// refund_id,at` (the first eight as before 2026-12, the rest appended); one row per line, amounts as decimal text in
/// the currency's precision ("123.45", "-20.00") with its ISO 4217 code in `currency`, signed from the merchant's
/// side; `order_id` is the checkout order the line's capture, refund or subsidy belongs to, `plan_id` the plan its
/// capture opened, `merchant_reference` the order's reference from the merchant, `capture_id` the capture (on a
/// capture and the subsidy taken with it), `refund_id` the refund (on a refund and the subsidy it gave back), `at`
/// when the line was posted (RFC 3339); each empty when it does not apply (an adjustment belongs to no order). After
/// the lines, summary rows whose `line` is a word and whose `net` holds the figure: `total` (sums of the lines'
/// amount, discount and net), `brought_forward` (owed from the previous settlement), `payout` and `carried_over`.
/// They obey `total.net + brought_forward.net = payout.net + carried_over.net`.
public enum SettlementReport {
    public static let header = [
        "line", "transfer_id", "kind", "amount", "discount", "net", "order_id", "plan_id", "currency",
        "merchant_reference", "capture_id", "refund_id", "at",
    ]

    public static func csv(_ statement: SettlementStatement) -> String {
        let settlement = statement.settlement
        let currency = settlement.currency.code
        var rows: [[String]] = [header]
        var amount: Int64 = 0
        var discount: Int64 = 0
        for item in statement.lines {
            let line = item.line
            rows.append([
                String(line.number), line.transferID.rawValue, line.kind.rawValue, line.amount.decimalString,
                line.discount.decimalString, line.net.decimalString, item.orderID ?? "", item.planID ?? "", currency,
                item.merchantReference ?? "", item.captureID ?? "", item.refundID ?? "", item.at.description,
            ])
            amount += line.amount.minorUnits
            discount += line.discount.minorUnits
        }
        func decimal(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: settlement.currency).decimalString }
        func summary(_ name: String, amount: String = "", discount: String = "", net: String) -> [String] {
            [name, "", "", amount, discount, net, "", "", currency, "", "", "", ""]
        }
        rows.append(summary("total", amount: decimal(amount), discount: decimal(discount), net: decimal(amount - discount)))
        rows.append(summary("brought_forward", net: settlement.broughtForward.decimalString))
        rows.append(summary("payout", net: settlement.payout.decimalString))
        rows.append(summary("carried_over", net: settlement.carriedOver.decimalString))
        return rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One CSV field, quoted (with inner quotes doubled) when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
