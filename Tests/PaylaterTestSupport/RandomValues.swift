public import PaylaterMoney
public import PaylaterProducts
public import PaylaterTime

/// Random values for property tests, drawn from a seeded generator so a failure replays.
public enum RandomValues {
    /// An order taken through random captures, refunds, a delivery and a cancellation or expiry.
    public static func order(_ random: inout SplitMix64) throws -> Order {
        let start = instant(&random)
        let total = Money(minorUnits: Int64.random(in: 100...1_000_000, using: &random), currency: .CNY)
        let promotion = Bool.random(using: &random)
            ? PromotionGrant(
                promotionID: text(&random), merchantID: text(&random),
                merchantShare: BasisPoints(rawValue: Int64.random(in: 0...10_000, using: &random)),
                grantedOn: try LocalDate(year: 2026, month: 2, day: 28))
            : nil
        var order = Order(
            id: "ord_" + text(&random), merchantID: text(&random), consumerID: text(&random), checkoutID: text(&random),
            productID: text(&random), merchantReference: text(&random), authorized: total, at: start, promotion: promotion)
        var now = start
        for step in 0..<Int.random(in: 0..<6, using: &random) {
            now = now.advanced(by: .seconds(Int64.random(in: 1...86_400, using: &random)))
            let amount = Money(minorUnits: Int64.random(in: 1...total.minorUnits / 2, using: &random), currency: .CNY)
            switch Int.random(in: 0..<5, using: &random) {
            case 0: _ = try? order.capture(order.remainingAuthorization(at: now), id: "cap_\(step)", at: now)
            case 1: _ = try? order.capture(amount, id: "cap_\(step)", at: now)
            case 2: _ = try? order.refund(amount, id: "ref_\(step)", at: now)
            case 3: _ = try? order.confirmDelivery(deliveredOn: try LocalDate(year: 2026, month: 3, day: 1), confirmedOn: try LocalDate(year: 2026, month: 3, day: 2))
            default:
                if Bool.random(using: &random) { try? order.cancel(at: now) } else {
                    try? order.extendAuthorization(by: Duration.seconds(3_600), at: now)
                }
            }
        }
        return order
    }


    public static func money(_ currency: Currency, _ random: inout SplitMix64) -> Money {
        Money(minorUnits: Int64.random(in: -1_000_000_000...1_000_000_000_000, using: &random), currency: currency)
    }

    public static func instant(_ random: inout SplitMix64) -> Instant {
        Instant(nanosecondsSinceUnixEpoch: Int64.random(in: 0...4_000_000_000_000_000_000, using: &random))
    }

    /// Short texts drawn from letters, digits, escapes and non-ASCII characters.
    public static func text(_ random: inout SplitMix64) -> String {
        let alphabet: [Character] = Array("aZ_09 -/\"\\\n\t\u{1}é新😀.:")
        return String((0..<Int.random(in: 0..<12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }
}
