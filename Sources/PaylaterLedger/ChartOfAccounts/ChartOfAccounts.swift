public import PaylaterMoney

/// Builds the ids and opening requests of Paylater's accounts, so every module names an account the same way.
///
/// Ids read like addresses: `platform:cash:CNY`, `consumer:c42:credit-available:CNY`, `plan:p7:receivable:CNY`,
/// `merchant:m3:payable:CNY`. A consumer's accounts start with the consumer id, so one shopper's accounts sort and
/// shard together.
public enum ChartOfAccounts {
    /// Types held once per currency by the platform.
    public static let platformTypes: [AccountType] = [
        .platformCash, .lossAllowance, .platformFunding, .merchantDiscountIncome, .feeIncome, .interestIncome,
        .lateFeeIncome, .recoveryIncome, .creditLossExpense, .promotionCost, .creditLimitSource,
        .exposureCapacitySource, .platformExposureAvailable, .platformExposureUsed,
    ]
    /// Types held once per consumer and currency.
    public static let consumerTypes: [AccountType] = [.consumerCreditAvailable, .consumerCreditUsed, .consumerCreditBalance]
    /// Types held once per plan.
    public static let planTypes: [AccountType] = [.planReceivable, .planFeeReceivable]
    /// Types held once per merchant and currency.
    public static let merchantTypes: [AccountType] = [.merchantPayable]

    public static func platform(_ type: AccountType, _ currency: Currency) -> AccountID {
        precondition(platformTypes.contains(type), "\(type) is not a platform account")
        return AccountID(validated: address("platform", type.slug, currency.code))
    }

    public static func consumer(_ consumer: ConsumerID, _ type: AccountType, _ currency: Currency) -> AccountID {
        precondition(consumerTypes.contains(type), "\(type) is not a consumer account")
        return AccountID(validated: address("consumer", consumer.rawValue, type.slug, currency.code))
    }

    public static func plan(_ plan: PlanID, _ type: AccountType, _ currency: Currency) -> AccountID {
        precondition(planTypes.contains(type), "\(type) is not a plan account")
        return AccountID(validated: address("plan", plan.rawValue, type.slug, currency.code))
    }

    /// The plan a plan account belongs to (`plan:<plan>:<type>:<currency>`; a plan id holds no ':'), nil for any
    /// other account.
    public static func planID(of account: AccountID) -> PlanID? {
        let parts = account.rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "plan" else { return nil }
        return try? PlanID(String(parts[1]))
    }

    /// The shopper a consumer account belongs to (`consumer:<id>:<type>:<currency>`); nil for any other account.
    public static func consumerID(of account: AccountID) -> ConsumerID? {
        let parts = account.rawValue.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "consumer" else { return nil }
        return try? ConsumerID(String(parts[1]))
    }

    public static func merchant(_ merchant: MerchantID, _ type: AccountType, _ currency: Currency) -> AccountID {
        precondition(merchantTypes.contains(type), "\(type) is not a merchant account")
        return AccountID(validated: address("merchant", merchant.rawValue, type.slug, currency.code))
    }

    /// The parts joined by colons, spelled into one allocation of the exact size. Ids are built several times per
    /// authorization, on the single writer too; interpolation grew each long one through two or three allocations
    /// (about 3,000 instructions for a consumer's account id, 2% of the writer's work).
    static func address(_ first: String, _ second: String, _ third: String, _ fourth: String? = nil) -> String {
        let parts = (first.utf8, second.utf8, third.utf8, fourth?.utf8)
        let count = parts.0.count + 1 + parts.1.count + 1 + parts.2.count + (parts.3.map { 1 + $0.count } ?? 0)
        return String(unsafeUninitializedCapacity: count) { buffer in
            var end = buffer.startIndex
            func put(_ part: String.UTF8View) {
                if end > buffer.startIndex {
                    buffer[end] = UInt8(ascii: ":")
                    end += 1
                }
                end = buffer[end...].initialize(fromContentsOf: part)
            }
            put(parts.0)
            put(parts.1)
            put(parts.2)
            if let fourth = parts.3 { put(fourth) }
            return end
        }
    }

    /// The opening request for an account of `type` with the type's code and constraint.
    public static func newAccount(_ id: AccountID, _ type: AccountType, _ currency: Currency) -> NewAccount {
        NewAccount(id: id, currency: currency, code: type.code, flags: type.flags)
    }

    /// The platform's accounts in `currency`.
    public static func platformAccounts(_ currency: Currency) -> [NewAccount] {
        platformTypes.map { newAccount(platform($0, currency), $0, currency) }
    }

    /// A consumer's accounts in `currency`.
    public static func consumerAccounts(_ consumer: ConsumerID, _ currency: Currency) -> [NewAccount] {
        consumerTypes.map { newAccount(self.consumer(consumer, $0, currency), $0, currency) }
    }

    /// A plan's accounts in `currency`.
    public static func planAccounts(_ plan: PlanID, _ currency: Currency) -> [NewAccount] {
        planTypes.map { newAccount(self.plan(plan, $0, currency), $0, currency) }
    }

    /// A merchant's accounts in `currency`.
    public static func merchantAccounts(_ merchant: MerchantID, _ currency: Currency) -> [NewAccount] {
        merchantTypes.map { newAccount(self.merchant(merchant, $0, currency), $0, currency) }
    }
}
