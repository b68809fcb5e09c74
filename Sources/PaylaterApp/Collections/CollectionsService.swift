import Foundation
public import PaylaterCollections
public import PaylaterLedger
public import PaylaterStore
public import PaylaterTime

/// A contact the compliance guard weighed, as stored: what was proposed, by whom, and the verdict.
public struct WeighedContact: Sendable {
    public let attemptID: String
    public let proposed: ProposedContact
    /// The call reached the person and they talked about the debt (recorded with a contact made).
    public let conversation: Bool
    public let collector: String
    /// `allowed` (and made), or refused with the descriptions of the rules it broke.
    public let refusals: [String]
    /// False when the same attempt id had been recorded before (a retry, or the conversation a made call came to):
    /// nothing was weighed now.
    public let isNew: Bool

    public var isAllowed: Bool { refusals.isEmpty }
}

/// Why collections refused a request; nothing was written.
public enum CollectionsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No contact standing is recorded for the debtor: without their jurisdiction and time zones no contact can be
    /// weighed, so none is made.
    case noStanding(ConsumerID)
    case invalidField(String, String)
    /// The attempt id was recorded for another contact.
    case attemptIDReused(String)

    public var description: String {
        switch self {
        case let .noStanding(consumer):
            "no contact standing is recorded for \(consumer): set their jurisdiction and time zones first (paylater collections standing)"
        case let .invalidField(field, expected): "'\(field)' must be \(expected)"
        case let .attemptIDReused(id): "contact attempt \(id) was recorded for another contact"
        }
    }
}

/// Collections' contacts: every contact with a debtor or a third party is weighed by the `ContactComplianceGuard`
/// against the debtor's jurisdiction, standing and recent contacts, and recorded, made or refused, in one
/// transaction, so the guard always counts every contact made before it.
public struct CollectionsService: Sendable {
    public let database: any Database
    public let clock: any Clock
    public let timeZones: TimeZoneDatabase

    /// The longest collector's name and attempt id, in bytes.
    public static let collectorLengthMaximum = 100
    public static let attemptIDLengthMaximum = 64
    /// How far on either side of a proposed contact the guard is shown the contacts made: the longest window a rule
    /// counts (Massachusetts' 30 days), and a day.
    static let historyWindow = Duration.seconds(31 * 86_400)
    /// How far ahead of now a contact may be proposed: it is weighed before it is made, so at most a clock's drift.
    public static let leadMaximum = Duration.seconds(15 * 60)

    public init(database: any Database, clock: any Clock, timeZones: TimeZoneDatabase = .system) {
        self.database = database
        self.clock = clock
        self.timeZones = timeZones
    }

    /// Replaces what bears on contacting the debtor, saying who did it.
    public func setStanding(
        _ consumer: ConsumerID, jurisdiction: CollectionsJurisdiction, _ standing: DebtorContactStanding, by: String
    ) throws {
        guard OperatorText.isAcceptable(by, maximum: Self.collectorLengthMaximum) else {
            throw CollectionsError.invalidField("by", OperatorText.expectation(maximum: Self.collectorLengthMaximum))
        }
        let record = DebtorStandingRecord(
            consumerID: consumer.rawValue, jurisdiction: jurisdiction.code, document: try Self.encode(standing),
            updatedBy: by, updatedAt: clock.now())
        try database.write { connection in try CollectionsRepository(connection).replaceStanding(record) }
    }

    /// The debtor's jurisdiction and standing, if recorded.
    public func standing(_ consumer: ConsumerID) throws -> (jurisdiction: CollectionsJurisdiction, standing: DebtorContactStanding)? {
        try database.read { connection in
            try CollectionsRepository(connection).standing(consumerID: consumer.rawValue).map(decode)
        }
    }

    /// Weighs `proposed` and records it under `attemptID`: made when the guard allows it (with `conversation`, what
    /// came of it), refused otherwise, with every rule it breaks. The same attempt id again returns the first
    /// verdict (at whatever time it is sent again); another contact under it is refused. A call is weighed before
    /// anyone answers: the same attempt id again with `conversation` records the conversation a made call came to
    /// (once told, a retry without it does not unsay it).
    /// - Throws: `CollectionsError.noStanding` (nothing recorded: no contact can be weighed without the debtor's
    ///   jurisdiction and time zones), `.invalidField`, `.attemptIDReused`.
    public func recordContact(
        _ consumer: ConsumerID, attemptID: String, _ proposed: ProposedContact, conversation: Bool, collector: String
    ) throws -> WeighedContact {
        try check(attemptID: attemptID, collector: collector, proposed)
        let details = try CanonicalJSON.encode(
            ContactDetails(
                collectors: proposed.collectors, mentionsDebt: proposed.mentionsDebt, noticeGiven: proposed.noticeGiven,
                debtorConsentsToPlace: proposed.debtorConsentsToPlace))
        return try database.write { connection in
            let repository = CollectionsRepository(connection)
            // Locks the debtor's row: contacts with one debtor are weighed one after the other.
            guard let stored = try repository.standing(consumerID: consumer.rawValue, forUpdate: true) else {
                throw CollectionsError.noStanding(consumer)
            }
            if let earlier = try repository.attempt(consumerID: consumer.rawValue, attemptID: attemptID) {
                // A retry: the same contact, whenever it is sent again (its time is the first one's).
                let again = try weighed(earlier, isNew: false)
                var same = proposed
                same.at = again.proposed.at
                guard again.proposed == same, again.collector == collector else {
                    throw CollectionsError.attemptIDReused(attemptID)
                }
                guard again.isAllowed, conversation, !again.conversation else { return again }
                var talked = earlier
                talked.conversation = true
                try repository.recordConversation(consumerID: consumer.rawValue, attemptID: attemptID)
                return try weighed(talked, isNew: false)
            }
            let (jurisdiction, standing) = try decode(stored)
            let history = try repository.attempts(
                consumerID: consumer.rawValue, since: proposed.at.advanced(by: .zero - Self.historyWindow),
                until: proposed.at.advanced(by: Self.historyWindow), madeOnly: true
            ).map(Self.contact)
            let verdict = ContactComplianceGuard(jurisdiction: jurisdiction).check(proposed, standing: standing, history: history)
            let refusals: [String] =
                switch verdict {
                case .allowed: []
                case .refused(let refusals): refusals.map(\.description)
                }
            let record = ContactAttemptRecord(
                consumerID: consumer.rawValue, attemptID: attemptID, debtID: proposed.debtID, channel: proposed.channel.rawValue,
                party: proposed.party.rawValue, place: proposed.place.rawValue, number: proposed.number, at: proposed.at,
                conversation: refusals.isEmpty && conversation, requestedByDebtor: proposed.requestedByDebtor,
                details: details, collector: collector, verdict: refusals.isEmpty ? "allowed" : "refused",
                refusals: try CanonicalJSON.encode(refusals))
            try repository.insert(record)
            return try weighed(record, isNew: true)
        }
    }

    /// The debtor's contacts weighed, made and refused, the newest `limit`, oldest first.
    public func contacts(_ consumer: ConsumerID, limit: Int = 100) throws -> [WeighedContact] {
        try database.read { connection in
            try CollectionsRepository(connection).attempts(consumerID: consumer.rawValue, limit: limit).map { record in
                try weighed(record, isNew: false)
            }
        }
    }

    // MARK: Helpers

    /// The rest of a proposal, stored as the attempt's `details`.
    private struct ContactDetails: Codable {
        let collectors: Int
        let mentionsDebt: Bool
        let noticeGiven: Bool
        let debtorConsentsToPlace: Bool
    }

    /// A standing as stored: the time zones by name, the flags and opt-outs.
    private struct StoredStanding: Codable {
        let timeZones: [String]
        let ceaseRequested, representedByAttorney, disputePending, employerProhibitsContactAtWork, vulnerable, unreachable: Bool
        let optedOutChannels: [String]
    }

    private static func encode(_ standing: DebtorContactStanding) throws -> String {
        try CanonicalJSON.encode(
            StoredStanding(
                timeZones: standing.timeZones.map(\.identifier), ceaseRequested: standing.ceaseRequested,
                representedByAttorney: standing.representedByAttorney, disputePending: standing.disputePending,
                employerProhibitsContactAtWork: standing.employerProhibitsContactAtWork, vulnerable: standing.vulnerable,
                unreachable: standing.unreachable, optedOutChannels: standing.optedOutChannels.map(\.rawValue).sorted()))
    }

    private func decode(_ record: DebtorStandingRecord) throws -> (CollectionsJurisdiction, DebtorContactStanding) {
        guard let jurisdiction = CollectionsJurisdiction(code: record.jurisdiction) else {
            throw StoreError.unreadableRow("debtor \(record.consumerID) has the jurisdiction '\(record.jurisdiction)'")
        }
        let stored = try CheckoutService.decode(StoredStanding.self, record.document)
        let zones = try stored.timeZones.map { try timeZones.rules(for: $0) }
        guard !zones.isEmpty else { throw StoreError.unreadableRow("debtor \(record.consumerID) has no time zone") }
        let channels = try stored.optedOutChannels.map { name in
            guard let channel = ContactChannel(rawValue: name) else { throw StoreError.unreadableRow("contact channel '\(name)'") }
            return channel
        }
        return (
            jurisdiction,
            DebtorContactStanding(
                timeZones: zones, ceaseRequested: stored.ceaseRequested, representedByAttorney: stored.representedByAttorney,
                disputePending: stored.disputePending, employerProhibitsContactAtWork: stored.employerProhibitsContactAtWork,
                optedOutChannels: Set(channels), vulnerable: stored.vulnerable, unreachable: stored.unreachable)
        )
    }

    /// A made contact as the guard counts it.
    private static func contact(_ record: ContactAttemptRecord) throws -> ContactAttempt {
        let (channel, party, _) = try kinds(record)
        return ContactAttempt(
            debtID: record.debtID, channel: channel, party: party, at: record.at, number: record.number,
            conversation: record.conversation, requestedByDebtor: record.requestedByDebtor)
    }

    private func weighed(_ record: ContactAttemptRecord, isNew: Bool) throws -> WeighedContact {
        let (channel, party, place) = try Self.kinds(record)
        let details = try CheckoutService.decode(ContactDetails.self, record.details)
        let proposed = ProposedContact(
            debtID: record.debtID, channel: channel, party: party, place: place, at: record.at, number: record.number,
            collectors: details.collectors, mentionsDebt: details.mentionsDebt, noticeGiven: details.noticeGiven,
            debtorConsentsToPlace: details.debtorConsentsToPlace, requestedByDebtor: record.requestedByDebtor)
        return WeighedContact(
            attemptID: record.attemptID, proposed: proposed, conversation: record.conversation, collector: record.collector,
            refusals: try CheckoutService.decode([String].self, record.refusals), isNew: isNew)
    }

    private static func kinds(_ record: ContactAttemptRecord) throws -> (ContactChannel, ContactParty, ContactPlace) {
        guard let channel = ContactChannel(rawValue: record.channel), let party = ContactParty(rawValue: record.party),
            let place = ContactPlace(rawValue: record.place)
        else { throw StoreError.unreadableRow("contact attempt \(record.attemptID) of \(record.consumerID)") }
        return (channel, party, place)
    }

    private func check(attemptID: String, collector: String, _ proposed: ProposedContact) throws(CollectionsError) {
        guard proposed.at >= .unixEpoch, proposed.at <= clock.now().advanced(by: Self.leadMaximum) else {
            throw .invalidField("at", "from 1970 to \(Self.leadMaximum.components.seconds / 60) minutes from now")
        }
        guard OperatorText.isAcceptable(attemptID, maximum: Self.attemptIDLengthMaximum) else {
            throw .invalidField("id", OperatorText.expectation(maximum: Self.attemptIDLengthMaximum))
        }
        guard OperatorText.isAcceptable(collector, maximum: Self.collectorLengthMaximum) else {
            throw .invalidField("by", OperatorText.expectation(maximum: Self.collectorLengthMaximum))
        }
        guard OperatorText.isAcceptable(proposed.debtID, maximum: 64) else {
            throw .invalidField("plan", OperatorText.expectation(maximum: 64))
        }
        guard (1...20).contains(proposed.collectors) else { throw .invalidField("collectors", "1 to 20") }
        if let number = proposed.number, !OperatorText.isAcceptable(number, maximum: 32) {
            throw .invalidField("number", OperatorText.expectation(maximum: 32))
        }
    }
}
