import PaylaterApp
import PaylaterLedger
import PaylaterMoney
import PaylaterStore

/// `paylater ledger verify`: checks every invariant; exits 1 naming the first violation.
enum LedgerVerifyCommand: Command {
    static let spec = CommandSpec(
        path: ["ledger", "verify"],
        summary: "Check the ledger's invariants on one consistent snapshot.",
        discussion: """
            Checks that, per currency, total debits equal total credits; that every account's stored totals equal \
            the sum of its transfers; and that no flagged account breaks its limit.
            Exit codes: 0 the ledger is sound, 1 a violation (named on standard error), 2 a usage mistake.
            """,
        options: CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let verification = try CommonOptions.open(arguments, context).ledger.verify()
        if let violation = verification.firstViolation {
            context.console.error("ledger verification failed: \(violation)")
            return .failure
        }
        context.console.out(
            "ledger OK: \(verification.accountsChecked) accounts, \(verification.transfersChecked) transfers, every invariant holds")
        return .success
    }
}

/// `paylater ledger account --id ID`: one account's totals and balances.
enum LedgerAccountCommand: Command {
    static let spec = CommandSpec(
        path: ["ledger", "account"],
        summary: "Show one account's totals and balance.",
        options: [CommonOptions.dataDirectory, CommonOptions.database, .value("id", "ACCOUNT", "The account id, e.g. platform:cash:CNY.")])

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let id: AccountID
        do { id = try AccountID(try arguments.required("id")) } catch let error as LedgerError {
            throw UsageError(error.description)
        }
        guard let account = try CommonOptions.open(arguments, context).ledger.account(id) else {
            context.console.error("error: account \(id) does not exist")
            return .failure
        }
        context.console.out(AccountFormatter.describe(account))
        return .success
    }
}

/// `paylater ledger expire-holds`: releases holds whose timeout has passed.
enum LedgerExpireHoldsCommand: Command {
    static let spec = CommandSpec(
        path: ["ledger", "expire-holds"],
        summary: "Release pending transfers (holds) whose timeout has passed.",
        discussion: "Every ledger write also releases expired holds first; this command does it without other work.",
        options: CommonOptions.store)

    static func run(_ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let released = try CommonOptions.open(arguments, context).ledger.expireHolds()
        context.console.out("released \(released) expired hold\(released == 1 ? "" : "s")")
        return .success
    }
}

/// Formats accounts for people.
enum AccountFormatter {
    static func describe(_ account: Account) -> String {
        let b = account.balance
        let type = try? AccountType(code: account.code)
        let currency = account.currency
        func amount(_ units: Int64) -> String { Money(minorUnits: units, currency: currency).decimalString }
        // The balance on the side it stands on, as a positive amount: "8.87 (debit balance)" for a merchant payable the
        // merchant owes, said to be against the account's normal side (credit for payables, debit for receivables).
        // Accounts outside the chart show both.
        let balance: String
        if let normal = type?.normalSide {
            let debit = b.postedDebitBalance
            let side: AccountType.NormalSide = debit > 0 ? .debit : .credit
            let against = debit != 0 && side != normal ? ", against the account's normal \(name(normal)) side" : ""
            let size = side == .debit ? debit : b.postedCreditBalance
            balance = debit == 0 ? amount(0) : "\(amount(size)) (\(name(side)) balance\(against))"
        } else {
            balance = "\(amount(b.postedCreditBalance)) credit / \(amount(b.postedDebitBalance)) debit"
        }
        return """
            \(account.id) (\(type?.slug ?? "code \(account.code)"), \(currency))
              debits:  posted \(amount(b.debitsPosted)), pending \(amount(b.debitsPending))
              credits: posted \(amount(b.creditsPosted)), pending \(amount(b.creditsPending))
              balance: \(balance)
            """
    }

    private static func name(_ side: AccountType.NormalSide) -> String {
        switch side {
        case .debit: "debit"
        case .credit: "credit"
        }
    }
}
