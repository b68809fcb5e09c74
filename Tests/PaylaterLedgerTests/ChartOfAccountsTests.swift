import PaylaterLedger
import PaylaterTestSupport
import PaylaterMoney
import Testing

@Suite("Chart of accounts")
struct ChartOfAccountsTests {
    @Test("account ids read like addresses and carry the owner and currency")
    func ids() throws {
        #expect(ChartOfAccounts.platform(.platformCash, .CNY).rawValue == "platform:cash:CNY")
        #expect(ChartOfAccounts.consumer(try ConsumerID("c42"), .consumerCreditAvailable, .USD).rawValue
            == "consumer:c42:credit-available:USD")
        #expect(ChartOfAccounts.plan(try PlanID("p7"), .planReceivable, .CNY).rawValue == "plan:p7:receivable:CNY")
        #expect(ChartOfAccounts.merchant(try MerchantID("m3"), .merchantPayable, .JPY).rawValue == "merchant:m3:payable:JPY")
    }

    @Test("a shopper's available credit can never go below zero")
    func availableCreditIsFlagged() {
        #expect(AccountType.consumerCreditAvailable.flags == .debitsMustNotExceedCredits)
        #expect(AccountType.platformExposureAvailable.flags == .debitsMustNotExceedCredits)
    }

    @Test("every type code is unique, and credit-book types are off the money book")
    func codes() throws {
        #expect(Set(AccountType.allCases.map(\.rawValue)).count == AccountType.allCases.count)
        #expect(AccountType.consumerCreditUsed.book == .credit)
        #expect(AccountType.platformCash.book == .money)
        for type in AccountType.allCases { #expect(try AccountType(code: type.code) == type) }
        #expect(throws: LedgerError.unknownAccountType(7)) { try AccountType(code: AccountCode(7)) }
    }

    @Test("party ids reject the separator and unsafe characters", arguments: ["", "a:b", "a b", "名字", String(repeating: "x", count: 65)])
    func badPartyIDs(text: String) {
        #expect(throws: LedgerError.self) { try ConsumerID(text) }
    }

    @Test("ledger ids accept letters, digits and : . _ - / up to 128 bytes")
    func ledgerIDs() throws {
        #expect(try AccountID("platform:cash:CNY").rawValue == "platform:cash:CNY")
        #expect(try TransferID("order/o-1_capture.2").rawValue == "order/o-1_capture.2")
        #expect(throws: LedgerError.self) { try TransferID(String(repeating: "x", count: 129)) }
        #expect(throws: LedgerError.self) { try TransferID("semi;colon") }
    }

    @Test("of all 256 byte values, exactly the letters, digits and : . _ - / may appear in a ledger id")
    func everyByte() throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:._-/".utf8)
        for byte in UInt8.min...UInt8.max {
            // The byte in the middle and at both ends. Bytes from 0x80 on only occur inside multi-byte characters,
            // so a character made from the byte stands in for it (U+0800 to U+0FF0: three bytes, all from 0x80).
            let text = byte < 0x80 ? String(decoding: [byte], as: UTF8.self) : String(UnicodeScalar(UInt32(byte) << 4)!)
            for candidate in ["a" + text + "b", text + "b", "a" + text] {
                let accepted = (try? AccountID(candidate)) != nil
                #expect(accepted == allowed.contains(byte), "byte \(byte)")
            }
        }
        #expect(throws: LedgerError.self) { try AccountID("consumer:é") }
        #expect(try AccountID(String(repeating: "z", count: 128)).rawValue.utf8.count == 128)
    }
}
