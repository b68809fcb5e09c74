import PaylaterLedger
import PaylaterMoney
import PaylaterProducts
public import PaylaterStore

/// A settlement as CSV (RFC 4180: comma-separated, CRLF line ends, fields quoted when they hold a comma, a quote or
/// a line break), so a merchant can match every line of a payout to their orders.
///
/// The header is `line,transfer_id,kind,amount,discount,net,order_id,plan_id`; one row per line, amounts as decimal
/// text in the currency's precision ("123.45", "-20.00"), signed from the merchant's side; `order_id` is the
/// checkout order the line's capture, refund or subsidy belongs to and `plan_id` the plan its capture opened (both
/// empty for an adjustment that belongs to no plan). After the lines, summary rows whose
/// `line` is a word and whose `net` holds the figure: `total` (sums of the lines' amount, discount and net),
/// `brought_forward` (owed from the previous settlement), `payout` and `carried_over`. They obey
/// `total.net + brought_forward.net = payout.net + carried_over.net`.
public enum SettlementReport {
    public static let header = ["line", "transfer_id", "kind", "amount", "discount", "net", "order_id", "plan_id"]

    public static func csv(_ settlement: Settlement) -> String {
        var rows: [[String]] = [header]
        var amount: Int64 = 0
        var discount: Int64 = 0
        for line in settlement.lines {
            let plan = PlanPostings.planID(ofTransfer: line.transferID)?.rawValue
            rows.append([
                String(line.number), line.transferID.rawValue, line.kind.rawValue, line.amount.decimalString,
                line.discount.decimalString, line.net.decimalString, plan.flatMap(Order.orderID(ofPlan:)) ?? "",
                plan ?? "",
            ])
            amount += line.amount.minorUnits
            discount += line.discount.minorUnits
        }
        func decimal(_ minorUnits: Int64) -> String { Money(minorUnits: minorUnits, currency: settlement.currency).decimalString }
        rows.append(["total", "", "", decimal(amount), decimal(discount), decimal(amount - discount), "", ""])
        rows.append(["brought_forward", "", "", "", "", settlement.broughtForward.decimalString, "", ""])
        rows.append(["payout", "", "", "", "", settlement.payout.decimalString, "", ""])
        rows.append(["carried_over", "", "", "", "", settlement.carriedOver.decimalString, "", ""])
        return rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One CSV field, quoted (with inner quotes doubled) when it holds a comma, a quote or a line break.
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
