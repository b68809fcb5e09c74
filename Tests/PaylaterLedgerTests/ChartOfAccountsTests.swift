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

    /// The ids are spelled byte by byte into one allocation (`ChartOfAccounts.address`): they must read exactly as
    /// the addresses above, for owners of every length a party id may have, small strings and heap ones alike.
    @Test("ids of every owner length and type are the parts joined by colons, and are valid ids")
    func idsSpelledWhole() throws {
        for length in [1, 5, 15, 16, 40, 64] {
            let owner = String((0..<length).map { Character(UnicodeScalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
            for currency in [Currency.CNY, .USD, .JPY] {
                for type in ChartOfAccounts.consumerTypes {
                    let id = ChartOfAccounts.consumer(try ConsumerID(owner), type, currency)
                    #expect(id.rawValue == "consumer:" + owner + ":" + type.slug + ":" + currency.code)
                    #expect(try AccountID(id.rawValue) == id)
                }
                for type in ChartOfAccounts.planTypes {
                    #expect(ChartOfAccounts.plan(try PlanID(owner), type, currency).rawValue
                        == "plan:" + owner + ":" + type.slug + ":" + currency.code)
                }
                #expect(ChartOfAccounts.merchant(try MerchantID(owner), .merchantPayable, currency).rawValue
                    == "merchant:" + owner + ":payable:" + currency.code)
            }
        }
        for type in ChartOfAccounts.platformTypes {
            #expect(ChartOfAccounts.platform(type, .CNY).rawValue == "platform:" + type.slug + ":CNY")
        }
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

    /// Ids keep their hash from when they were made: ids of the same text, made any way (validated, spelled by the
    /// chart of accounts, from a substring, small or heap strings), must be one key in a set or dictionary, and ids
    /// of different texts never equal, in sets and in sorting.
    @Test("ids of the same text are one key however made; ids of other texts are other keys, sorted by their text")
    func idsAsKeys() throws {
        let owner = String(repeating: "o", count: 40)
        let spelled = ChartOfAccounts.consumer(try ConsumerID(owner), .consumerCreditAvailable, .CNY)
        let text = "consumer:" + owner + ":" + AccountType.consumerCreditAvailable.slug + ":CNY"
        let parsed = try AccountID(String(("[" + text + "]").dropFirst().dropLast()))
        #expect(parsed == spelled)
        #expect(parsed.hashValue == spelled.hashValue)
        #expect(Set([parsed, spelled, try AccountID(text)]).count == 1)
        let balances = [spelled: 1]
        #expect(balances[parsed] == 1)

        let texts = ["a", "b", "a1", "ab", "platform:cash:CNY", "platform:cash:USD", text, text + "x", "x" + text]
        let accounts = try texts.map(AccountID.init)
        let transfers = try texts.map(TransferID.init)
        #expect(Set(accounts).count == texts.count)
        #expect(Set(transfers).count == texts.count)
        #expect(Dictionary(uniqueKeysWithValues: zip(transfers, texts))[try TransferID(text)] == text)
        #expect(accounts.sorted().map(\.rawValue) == texts.sorted())
        #expect(transfers.sorted().map(\.rawValue) == texts.sorted())
        for (left, right) in zip(accounts, accounts.dropFirst()) { #expect(left != right) }
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
