/// The least time a shopper has to pay after something they learn of only as it happens brings a due date nearer:
/// a merchant's late delivery confirmation (`TryThenPayDueDate`), a refund that ends a return pause
/// (`ReturnPause.endedByRefund`). Without it those made a plan due, even overdue, on the day the shopper heard.
public enum PaymentNotice {
    /// A week.
    public static let days = 7
}
