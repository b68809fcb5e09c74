public import PaylaterMoney
public import PaylaterProducts

/// The late fees `paylater serve` writes into new plans unless configured otherwise.
///
/// USD follows Afterpay's published schedule (10.00 once late, 7.00 more a week later, at most the lower of 25% of
/// the order and 68.00). CNY charges 5.00 after a three-day grace period and 5.00 more a week later, at most the
/// lower of 25% of the order and 50.00 — well inside the "no fee on fee" and reasonableness expectations of the
/// China rules summarised in REFERENCE.md. Both are product settings an operator should review.
public enum LateFeeDefaults {
    public static func standard() throws -> [Currency: LateFeePolicy] {
        [
            .USD: try LateFeePolicy(
                first: LateFeeAmount(fixed: try Money(parsing: "10.00", currency: .USD)),
                followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try Money(parsing: "7.00", currency: .USD))),
                orderCapPercentage: BasisPoints(2500), orderCapAmount: try Money(parsing: "68.00", currency: .USD)),
            .CNY: try LateFeePolicy(
                first: LateFeeAmount(fixed: try Money(parsing: "5.00", currency: .CNY)), graceDays: 3,
                followUp: LateFeeFollowUp(afterDays: 7, amount: LateFeeAmount(fixed: try Money(parsing: "5.00", currency: .CNY))),
                orderCapPercentage: BasisPoints(2500), orderCapAmount: try Money(parsing: "50.00", currency: .CNY)),
        ]
    }
}
