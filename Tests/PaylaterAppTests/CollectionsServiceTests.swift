@testable import PaylaterApp
import PaylaterCollections
import PaylaterLedger
import PaylaterStore
import PaylaterTestSupport
import PaylaterTime
import Testing

/// Every contact weighed by the compliance guard and recorded, made or refused, in one transaction.
@Suite("Collections contacts")
struct CollectionsServiceTests {
    static let debtor = try! ConsumerID("debtor-1")

    func service(_ store: TestStore) -> CollectionsService { CollectionsService(database: store.database, clock: store.clock) }

    func newYork(_ local: String) throws -> Instant {
        try TimeZoneDatabase.system.rules(for: "America/New_York").instant(for: LocalDateTime(iso8601: local))
    }

    func setUS(_ store: TestStore) throws {
        let standing = DebtorContactStanding(timeZones: [try TimeZoneDatabase.system.rules(for: "America/New_York")])
        try service(store).setStanding(Self.debtor, jurisdiction: .unitedStates(state: nil), standing, by: "ops-ana")
    }

    func attempts(_ store: TestStore) throws -> Int {
        try store.database.read { try CollectionsRepository($0).attempts(consumerID: Self.debtor.rawValue).count }
    }

    @Test("no contact is weighed, and nothing recorded, for a debtor without a standing", arguments: StoreKind.available)
    func withoutStanding(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let call = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-10T10:00:00"))
        #expect(throws: CollectionsError.noStanding(Self.debtor)) {
            try service(store).recordContact(Self.debtor, attemptID: "a1", call, conversation: false, collector: "ana")
        }
        #expect(try attempts(store) == 0)
    }

    @Test("a standing is stored and read back whole, zones and opt-outs included", arguments: StoreKind.available)
    func standingRoundTrip(kind: StoreKind) throws {
        let store = try TestStore(kind)
        let zones = try ["America/New_York", "America/Los_Angeles"].map { try TimeZoneDatabase.system.rules(for: $0) }
        let standing = DebtorContactStanding(
            timeZones: zones, ceaseRequested: true, disputePending: true, optedOutChannels: [.text, .email], vulnerable: true)
        try service(store).setStanding(Self.debtor, jurisdiction: .unitedStates(state: "MA"), standing, by: "ops-ana")
        let read = try #require(try service(store).standing(Self.debtor))
        #expect(read.jurisdiction == .unitedStates(state: "MA"))
        #expect(read.standing.timeZones.map(\.identifier) == ["America/New_York", "America/Los_Angeles"])
        #expect(read.standing.ceaseRequested && read.standing.disputePending && read.standing.vulnerable)
        #expect(!read.standing.representedByAttorney && read.standing.optedOutChannels == [.text, .email])
        #expect(throws: CollectionsError.self) {
            try service(store).setStanding(Self.debtor, jurisdiction: .china, standing, by: "line\nbreak")
        }
        // Replaced whole, in place.
        try service(store).setStanding(Self.debtor, jurisdiction: .china, DebtorContactStanding(timeZones: [zones[0]]), by: "ops-bo")
        let replaced = try #require(try service(store).standing(Self.debtor))
        #expect(replaced.jurisdiction == .china && !replaced.standing.ceaseRequested && replaced.standing.optedOutChannels.isEmpty)
    }

    @Test("made contacts count towards the caps and refused ones do not; each is recorded with its verdict; the same id again returns it",
          arguments: StoreKind.available)
    func recordsAndCounts(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try setUS(store)
        let collections = service(store)
        for day in 1...7 {
            let call = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-0\(day)T10:00:00"))
            #expect(try collections.recordContact(Self.debtor, attemptID: "call-\(day)", call, conversation: false, collector: "ana").isAllowed)
        }
        let late = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-07T22:00:00"))
        let refused = try collections.recordContact(Self.debtor, attemptID: "call-late", late, conversation: true, collector: "ana")
        #expect(!refused.isAllowed && refused.refusals.count == 2 && !refused.conversation, "\(refused.refusals)")
        // The refused call is not counted: on June 8 the 7-day window holds June 2-7's six made calls.
        let next = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-08T10:00:00"))
        #expect(try collections.recordContact(Self.debtor, attemptID: "call-8", next, conversation: true, collector: "ana").isAllowed)
        // After that conversation, no call for 7 days.
        let after = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-09T10:00:00"))
        #expect(try collections.recordContact(Self.debtor, attemptID: "call-9", after, conversation: false, collector: "ana").refusals
            == ["a conversation about this debt on 2026-06-08: no call for 7 days, that day the first"])
        // A retry, whenever it comes, returns the first verdict and records nothing; another contact under the id is refused.
        var retry = late
        retry.at = try newYork("2026-06-09T11:00:00")
        let again = try collections.recordContact(Self.debtor, attemptID: "call-late", retry, conversation: true, collector: "ana")
        #expect(!again.isNew && again.refusals == refused.refusals)
        #expect(throws: CollectionsError.attemptIDReused("call-1")) {
            try collections.recordContact(
                Self.debtor, attemptID: "call-1", ProposedContact(debtID: "plan-1", channel: .email, at: late.at),
                conversation: false, collector: "ana")
        }
        #expect(try attempts(store) == 10)
        let history = try collections.contacts(Self.debtor)
        #expect(history.map(\.attemptID) == (1...7).map { "call-\($0)" } + ["call-late", "call-8", "call-9"])
    }

    @Test("collectors calling one debtor at once: the guard counts every call made before, so no more than 7 are made",
          arguments: StoreKind.available)
    func collectorsAtOnce(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try setUS(store)
        let at = try newYork("2026-06-10T10:00:00")
        let outcomes = concurrently(12) { index in
            try service(store).recordContact(
                Self.debtor, attemptID: "call-\(index)", ProposedContact(debtID: "plan-1", channel: .call, at: at),
                conversation: false, collector: "dialler-\(index % 3)"
            ).isAllowed
        }
        #expect(outcomes.unexpectedFailures().isEmpty)
        #expect(outcomes.successes().filter { $0 }.count == 7)
        #expect(try attempts(store) == 12)
    }

    @Test("a contact at a time that cannot be now is refused as a bad field, not weighed (nor a crash): before 1970, or later than 15 minutes from now",
          arguments: StoreKind.available)
    func timeOutOfRange(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try setUS(store)
        for at in [Instant.minimum.advanced(by: .seconds(86_400)), Instant.unixEpoch.advanced(by: .seconds(-1)),
                   store.clock.now().advanced(by: .seconds(16 * 60)), Instant.maximum] {
            let error = #expect(throws: CollectionsError.self, "\(at)") {
                try service(store).recordContact(
                    Self.debtor, attemptID: "a-\(at.nanosecondsSinceUnixEpoch)", ProposedContact(debtID: "plan-1", channel: .letter, at: at),
                    conversation: false, collector: "ana")
            }
            guard case .invalidField("at", _)? = error else {
                Issue.record("\(at): \(String(describing: error))")
                continue
            }
        }
        let soon = ProposedContact(debtID: "plan-1", channel: .letter, at: store.clock.now().advanced(by: .seconds(14 * 60)))
        #expect(try service(store).recordContact(Self.debtor, attemptID: "soon", soon, conversation: false, collector: "ana").isAllowed)
        #expect(try attempts(store) == 1)
    }

    @Test("refused attempts, however many, do not push the made contacts out of what the guard counts", arguments: StoreKind.available)
    func refusedDoNotCrowdOut(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try setUS(store)
        let collections = service(store)
        let talked = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-01T10:00:00"))
        #expect(try collections.recordContact(Self.debtor, attemptID: "talk", talked, conversation: true, collector: "ana").isAllowed)
        // A dialler's refused attempts, 10,001 of them, after the conversation.
        try store.database.write { connection in
            let repository = CollectionsRepository(connection)
            let first = try #require(try repository.attempt(consumerID: Self.debtor.rawValue, attemptID: "talk"))
            for index in 0...10_000 {
                var refused = first
                refused.attemptID = "refused-\(index)"
                refused.at = first.at.advanced(by: .seconds(60 + Int64(index)))
                refused.conversation = false
                refused.verdict = "refused"
                refused.refusals = "[\"a conversation\"]"
                try repository.insert(refused)
            }
        }
        let next = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-03T10:00:00"))
        #expect(try collections.recordContact(Self.debtor, attemptID: "next", next, conversation: false, collector: "ana").refusals
            == ["a conversation about this debt on 2026-06-01: no call for 7 days, that day the first"])
    }

    @Test("a call is weighed before anyone answers: the conversation it came to is recorded after, under its id, and starts the 7 quiet days",
          arguments: StoreKind.available)
    func conversationAfterTheCall(kind: StoreKind) throws {
        let store = try TestStore(kind)
        try setUS(store)
        let collections = service(store)
        let call = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-01T10:00:00"))
        #expect(try collections.recordContact(Self.debtor, attemptID: "c1", call, conversation: false, collector: "ana").isAllowed)
        let told = try collections.recordContact(Self.debtor, attemptID: "c1", call, conversation: true, collector: "ana")
        #expect(told.isAllowed && told.conversation && !told.isNew)
        // A late retry of the first request does not unsay it.
        #expect(try collections.recordContact(Self.debtor, attemptID: "c1", call, conversation: false, collector: "ana").conversation)
        let next = ProposedContact(debtID: "plan-1", channel: .call, at: try newYork("2026-06-03T10:00:00"))
        #expect(try collections.recordContact(Self.debtor, attemptID: "c2", next, conversation: false, collector: "ana").refusals
            == ["a conversation about this debt on 2026-06-01: no call for 7 days, that day the first"])
        #expect(try attempts(store) == 2)
    }
}
