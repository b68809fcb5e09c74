public import PaylaterTime

/// How a collector reaches a debtor.
public enum ContactChannel: String, Sendable, Hashable, CaseIterable {
    case call, text, email, letter
    /// An in-person visit (外访 / 上门, a home visit).
    case fieldVisit = "field_visit"

    /// Whether the channel reaches the person at a moment of the day (a letter is read whenever it is opened).
    var isTimed: Bool { self != .letter }
}

/// Whom a contact is with.
public enum ContactParty: String, Sendable, Hashable, CaseIterable {
    case debtor
    /// Anyone else: an emergency contact, a relative, a neighbour, an employer. The rules allow them only to find the
    /// debtor, and never to be told of the debt.
    case thirdParty = "third_party"
}

/// Where the person is reached.
public enum ContactPlace: String, Sendable, Hashable, CaseIterable {
    case home, work, hospital, other
}

/// A contact made about a debt: what the guard counts when it weighs the next one.
public struct ContactAttempt: Sendable, Hashable {
    /// The debt (a plan) the contact was about: US call limits count per debt.
    public let debtID: String
    public let channel: ContactChannel
    public let party: ContactParty
    public let at: Instant
    /// The number dialled, for calls (China's CBA cap counts the calls to one number a day).
    public let number: String?
    /// The call reached the person and they talked about the debt: a "telephone conversation" (Reg F) or an
    /// "effective call" (NIFA).
    public let conversation: Bool
    /// The debtor asked for this call, directly, in the 7 days before it: Reg F does not count such calls.
    public let requestedByDebtor: Bool

    public init(
        debtID: String, channel: ContactChannel, party: ContactParty = .debtor, at: Instant, number: String? = nil,
        conversation: Bool = false, requestedByDebtor: Bool = false
    ) {
        self.debtID = debtID
        self.channel = channel
        self.party = party
        self.at = at
        self.number = number
        self.conversation = conversation
        self.requestedByDebtor = requestedByDebtor
    }
}

/// A contact a collector (or an automated dialler, or an agency) proposes to make, as the guard weighs it.
public struct ProposedContact: Sendable, Hashable {
    public var debtID: String
    public var channel: ContactChannel
    public var party: ContactParty
    public var place: ContactPlace
    public var at: Instant
    /// The number to dial, for a call.
    public var number: String?
    /// The collectors who go, for a field visit.
    public var collectors: Int
    /// For a third party: whether the message would say anything of the debt.
    public var mentionsDebt: Bool
    /// For a field visit (UK): the debtor was told the purpose, the date and the likely time, in good time.
    public var noticeGiven: Bool
    /// For a field visit at work or in hospital (UK): the debtor agreed to it.
    public var debtorConsentsToPlace: Bool
    /// The debtor asked for this call, directly, within the last 7 days (Reg F: it does not count, and may be made).
    public var requestedByDebtor: Bool

    public init(
        debtID: String, channel: ContactChannel, party: ContactParty = .debtor, place: ContactPlace = .home, at: Instant,
        number: String? = nil, collectors: Int = 1, mentionsDebt: Bool = true, noticeGiven: Bool = false,
        debtorConsentsToPlace: Bool = false, requestedByDebtor: Bool = false
    ) {
        self.debtID = debtID
        self.channel = channel
        self.party = party
        self.place = place
        self.at = at
        self.number = number
        self.collectors = collectors
        self.mentionsDebt = mentionsDebt
        self.noticeGiven = noticeGiven
        self.debtorConsentsToPlace = debtorConsentsToPlace
        self.requestedByDebtor = requestedByDebtor
    }
}

/// What is known of the debtor that bears on whether and how they may be contacted.
public struct DebtorContactStanding: Sendable {
    /// Every time zone the debtor may be in (their address's, their phone number's): contact hours must hold in each
    /// (Reg F: "convenient in every possible location"). The first is the one days are counted in. Not empty.
    public var timeZones: [TimeZoneRules]
    /// A written request to stop contact.
    public var ceaseRequested: Bool
    /// An attorney represents the debtor for the debt: contact goes to the attorney, not the debtor.
    public var representedByAttorney: Bool
    /// A timely written dispute, or a request for the original creditor, not answered yet: collection stops.
    public var disputePending: Bool
    /// The debtor's employer does not allow them to be contacted at work.
    public var employerProhibitsContactAtWork: Bool
    /// The channels the debtor asked not to be contacted by.
    public var optedOutChannels: Set<ContactChannel>
    /// Known or suspected to be particularly vulnerable (UK: no home visit).
    public var vulnerable: Bool
    /// The debtor cannot be reached (China: only then may an emergency contact be called, and only to find them).
    public var unreachable: Bool

    public init(
        timeZones: [TimeZoneRules], ceaseRequested: Bool = false, representedByAttorney: Bool = false,
        disputePending: Bool = false, employerProhibitsContactAtWork: Bool = false,
        optedOutChannels: Set<ContactChannel> = [], vulnerable: Bool = false, unreachable: Bool = false
    ) {
        precondition(!timeZones.isEmpty, "a debtor is somewhere: give at least one time zone")
        self.timeZones = timeZones
        self.ceaseRequested = ceaseRequested
        self.representedByAttorney = representedByAttorney
        self.disputePending = disputePending
        self.employerProhibitsContactAtWork = employerProhibitsContactAtWork
        self.optedOutChannels = optedOutChannels
        self.vulnerable = vulnerable
        self.unreachable = unreachable
    }
}
