public import PaylaterTime

/// The rules of the debtor's jurisdiction the guard applies (docs: ../shared/REFERENCE.md, "Collections rules").
public enum CollectionsJurisdiction: Sendable, Hashable {
    /// FDCPA and CFPB Regulation F (12 CFR 1006); `state` adds a state's stricter rules (Massachusetts, "MA").
    case unitedStates(state: String?)
    /// GB/T 45251-2025, the NIFA 2024 post-loan collection guideline and the China Banking Association's.
    case china
    /// FCA CONC 7.
    case unitedKingdom

    /// The states whose stricter rules the guard applies (`unitedStates(state:)`): Massachusetts.
    public static let states: Set<String> = ["MA"]

    /// From its code: `US`, `US-` and the two letters of a state in `states` (`US-MA`), `CN`, or `GB` (`UK` too); nil
    /// for another (a state whose rules the guard does not apply would be weighed by the federal rules alone).
    public init?(code: String) {
        let upper = code.uppercased()
        switch upper {
        case "US": self = .unitedStates(state: nil)
        case "CN": self = .china
        case "GB", "UK": self = .unitedKingdom
        default:
            let parts = upper.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0] == "US", Self.states.contains(String(parts[1])) else { return nil }
            self = .unitedStates(state: String(parts[1]))
        }
    }

    /// Its code, as `init?(code:)` reads it.
    public var code: String {
        switch self {
        case .unitedStates(let state): state.map { "US-\($0)" } ?? "US"
        case .china: "CN"
        case .unitedKingdom: "GB"
        }
    }
}

/// Why the guard refuses a contact. Each names the rule and what it counted, so a collector or an auditor reads why.
public enum ContactRefusal: Sendable, Hashable, CustomStringConvertible {
    /// Outside the contact hours (`from` ≤ local time < `until`) in `zone`, one of the debtor's possible locations.
    case outsideContactHours(zone: String, local: LocalDateTime, from: LocalTime, until: LocalTime)
    /// `calls` calls about this debt already in the `days` days ending with this one; at most `maximum`.
    case callFrequency(calls: Int, days: Int, maximum: Int)
    /// A telephone conversation about this debt on `date`: no call for 7 days, that day counted as the first.
    case recentConversation(date: LocalDate)
    /// `count` effective calls (conversations) with the debtor today already; at most `maximum`.
    case effectiveCallsToday(count: Int, maximum: Int)
    /// `count` calls to this number today already; at most `maximum`.
    case callsToNumberToday(count: Int, maximum: Int)
    /// A call without the number it dials, where the calls to a number are counted (China's CBA cap).
    case callNumberUnknown
    case ceaseRequested
    case representedByAttorney
    case disputePending
    /// At work, where the employer forbids it (or, for a visit, where the rules forbid it outright).
    case contactAtWorkProhibited
    case channelOptedOut(ContactChannel)
    /// A third party would be told of the debt.
    case debtDisclosedToThirdParty
    /// A third party may be contacted only to find a debtor who cannot be reached.
    case thirdPartyWhileDebtorReachable
    case tooFewCollectorsForVisit(collectors: Int, minimum: Int)
    /// A field visit within `days` days of the last one (`last`).
    case visitFrequency(last: Instant, days: Int)
    /// A field visit without the notice of purpose, date and time the debtor is owed.
    case visitWithoutNotice
    /// A field visit at `place` without the debtor's consent.
    case visitPlaceWithoutConsent(ContactPlace)
    /// A field visit to a debtor known or suspected to be particularly vulnerable.
    case vulnerableDebtor

    public var description: String {
        switch self {
        case let .outsideContactHours(zone, local, from, until):
            "it is \(local) in \(zone), outside the contact hours \(from)–\(until)"
        case let .callFrequency(calls, days, maximum):
            "\(calls) calls about this debt in \(days) days already (at most \(maximum))"
        case let .recentConversation(date):
            "a conversation about this debt on \(date): no call for 7 days, that day the first"
        case let .effectiveCallsToday(count, maximum): "\(count) effective calls with the debtor today already (at most \(maximum))"
        case let .callsToNumberToday(count, maximum): "\(count) calls to this number today already (at most \(maximum))"
        case .callNumberUnknown: "the number to be called must be given: the calls to one number a day are counted"
        case .ceaseRequested: "the debtor asked in writing for contact to stop"
        case .representedByAttorney: "an attorney represents the debtor for this debt: contact the attorney"
        case .disputePending: "the debt is disputed and the dispute not answered yet: collection stops until it is"
        case .contactAtWorkProhibited: "no contact at the debtor's work"
        case let .channelOptedOut(channel): "the debtor opted out of \(channel.rawValue)"
        case .debtDisclosedToThirdParty: "a third party must not be told of the debt"
        case .thirdPartyWhileDebtorReachable: "a third party only to find a debtor who cannot be reached"
        case let .tooFewCollectorsForVisit(collectors, minimum): "\(collectors) collectors for a visit (at least \(minimum))"
        case let .visitFrequency(last, days): "a visit at \(last), within \(days) days"
        case .visitWithoutNotice: "a visit needs notice of its purpose, date and likely time"
        case let .visitPlaceWithoutConsent(place): "no visit at \(place.rawValue) without the debtor's consent"
        case .vulnerableDebtor: "no visit to a debtor known or suspected to be particularly vulnerable"
        }
    }
}

/// The guard's answer: the contact may be made, or not, with every rule it breaks.
public enum ContactVerdict: Sendable, Hashable {
    case allowed
    case refused([ContactRefusal])
}

/// Stands in front of every contact with a debtor or a third party about a debt, and applies the rules of the
/// debtor's jurisdiction to the contact proposed, the debtor's standing and the contacts already made. Pure: the
/// caller gives the time (in the proposal) and the history, so a decision replays.
///
/// It checks what can be checked from those facts: contact hours in every possible location (DST included, by the
/// zone's rules), frequency caps, the debtor's requests (cease, attorney, dispute, opt-outs, no contact at work),
/// third parties, and field visits. What is said in a contact (threats, insults, false statements) is not its to
/// judge.
public struct ContactComplianceGuard: Sendable {
    public let jurisdiction: CollectionsJurisdiction

    public init(jurisdiction: CollectionsJurisdiction) { self.jurisdiction = jurisdiction }

    public func check(
        _ proposed: ProposedContact, standing: DebtorContactStanding, history: [ContactAttempt]
    ) -> ContactVerdict {
        var refusals = requests(proposed, standing) + hours(proposed, standing) + thirdParty(proposed, standing)
        switch jurisdiction {
        case .unitedStates(let state):
            refusals += usCalls(proposed, standing, history, maximum: state == "MA" ? 2 : 7)
            if state == "MA" { refusals += massachusettsVisits(proposed, history) }
        case .china:
            refusals += chinaCalls(proposed, standing, history)
            if proposed.channel == .fieldVisit, proposed.collectors < 2 {
                refusals.append(.tooFewCollectorsForVisit(collectors: proposed.collectors, minimum: 2))
            }
        case .unitedKingdom:
            refusals += ukVisit(proposed, standing)
        }
        return refusals.isEmpty ? .allowed : .refused(refusals)
    }

    // MARK: Rules

    /// The hours contact is allowed in, by local time: 8:00 to 21:00 (US; UK's "reasonable times" read the same
    /// way), 8:00 to 22:00 (China).
    var contactHours: (from: LocalTime, until: LocalTime) {
        switch jurisdiction {
        case .unitedStates, .unitedKingdom: (Self.time(8), Self.time(21))
        case .china: (Self.time(8), Self.time(22))
        }
    }

    private func hours(_ proposed: ProposedContact, _ standing: DebtorContactStanding) -> [ContactRefusal] {
        guard proposed.channel.isTimed else { return [] }
        let (from, until) = contactHours
        return standing.timeZones.compactMap { zone in
            let local = zone.localDateTime(at: proposed.at)
            guard local.time < from || local.time >= until else { return nil }
            return .outsideContactHours(zone: zone.identifier, local: local, from: from, until: until)
        }
    }

    /// The debtor's own requests and protections, wherever they are.
    private func requests(_ proposed: ProposedContact, _ standing: DebtorContactStanding) -> [ContactRefusal] {
        var refusals: [ContactRefusal] = []
        if standing.ceaseRequested, case .unitedStates = jurisdiction { refusals.append(.ceaseRequested) }
        // FDCPA 805(a)(2): not the debtor; 804(6): not third parties for location either, once an attorney is known.
        if standing.representedByAttorney, case .unitedStates = jurisdiction {
            refusals.append(.representedByAttorney)
        }
        if standing.disputePending {
            switch jurisdiction {
            case .unitedStates: refusals.append(.disputePending)
            case .unitedKingdom where proposed.channel == .fieldVisit: refusals.append(.disputePending)
            default: break
            }
        }
        if proposed.place == .work, standing.employerProhibitsContactAtWork, case .unitedStates = jurisdiction {
            refusals.append(.contactAtWorkProhibited)
        }
        if standing.optedOutChannels.contains(proposed.channel) { refusals.append(.channelOptedOut(proposed.channel)) }
        return refusals
    }

    private func thirdParty(_ proposed: ProposedContact, _ standing: DebtorContactStanding) -> [ContactRefusal] {
        guard proposed.party == .thirdParty else { return [] }
        var refusals: [ContactRefusal] = []
        if proposed.mentionsDebt { refusals.append(.debtDisclosedToThirdParty) }
        if case .china = jurisdiction, !standing.unreachable { refusals.append(.thirdPartyWhileDebtorReachable) }
        return refusals
    }

    /// Reg F 1006.14(b): calls about one debt, across every number, at most `maximum` in 7 consecutive days, and
    /// none within 7 days after a telephone conversation about it (its day the first). Days are the debtor's local
    /// days; calls the debtor asked for within the last 7 days neither count nor are refused. Every 7-day run that
    /// holds the proposed call's day is counted, calls recorded after it too: the order contacts are weighed in
    /// does not open a window.
    private func usCalls(
        _ proposed: ProposedContact, _ standing: DebtorContactStanding, _ history: [ContactAttempt], maximum: Int
    ) -> [ContactRefusal] {
        guard proposed.channel == .call, proposed.party == .debtor, !proposed.requestedByDebtor else { return [] }
        let zone = standing.timeZones[0]
        let today = zone.localDate(at: proposed.at)
        let calls = history.filter { $0.debtID == proposed.debtID && $0.channel == .call && $0.party == .debtor }
        /// Each call's day, counted from the proposed call's (negative before it).
        let days = calls.map { (call: $0, day: today.days(until: zone.localDate(at: $0.at))) }
        var refusals: [ContactRefusal] = []
        let counted = days.filter { !$0.call.requestedByDebtor }.map(\.day)
        let busiest = (-6...0).map { start in counted.filter { (start...start + 6).contains($0) }.count }.max() ?? 0
        if busiest >= maximum { refusals.append(.callFrequency(calls: busiest, days: 7, maximum: maximum)) }
        let before = days.filter { (-6...0).contains($0.day) && $0.call.at <= proposed.at }
        if let talked = before.filter(\.call.conversation).map({ zone.localDate(at: $0.call.at) }).max() {
            refusals.append(.recentConversation(date: talked))
        }
        return refusals
    }

    /// Massachusetts: a visit at most once in 30 days (a visit recorded on either side of it within 30 days refuses
    /// it), and never at work.
    private func massachusettsVisits(_ proposed: ProposedContact, _ history: [ContactAttempt]) -> [ContactRefusal] {
        guard proposed.channel == .fieldVisit else { return [] }
        var refusals: [ContactRefusal] = []
        if proposed.place == .work { refusals.append(.contactAtWorkProhibited) }
        let within = Duration.seconds(30 * 86_400)
        /// How far apart `visit` and the proposed visit are, either way round.
        func apart(_ visit: ContactAttempt) -> Duration { min(visit.at, proposed.at).duration(to: max(visit.at, proposed.at)) }
        let near = history.filter { $0.channel == .fieldVisit && apart($0) < within }
        if let last = near.min(by: { apart($0) < apart($1) })?.at {
            refusals.append(.visitFrequency(last: last, days: 30))
        }
        return refusals
    }

    /// China: at most 3 effective calls with the debtor a day (NIFA), at most 6 calls to one number a day (CBA),
    /// counted in the whole of the debtor's local day (calls recorded after the proposed one too).
    private func chinaCalls(
        _ proposed: ProposedContact, _ standing: DebtorContactStanding, _ history: [ContactAttempt]
    ) -> [ContactRefusal] {
        guard proposed.channel == .call else { return [] }
        let zone = standing.timeZones[0]
        let today = zone.localDate(at: proposed.at)
        let calls = history.filter { $0.channel == .call && zone.localDate(at: $0.at) == today }
        var refusals: [ContactRefusal] = []
        let effective = calls.filter { $0.party == .debtor && $0.conversation }.count
        if proposed.party == .debtor, effective >= 3 { refusals.append(.effectiveCallsToday(count: effective, maximum: 3)) }
        if let number = proposed.number {
            let toNumber = calls.filter { $0.number == number }.count
            if toNumber >= 6 { refusals.append(.callsToNumberToday(count: toNumber, maximum: 6)) }
        } else {
            refusals.append(.callNumberUnknown)
        }
        return refusals
    }

    /// CONC 7: a home visit needs notice, never to a vulnerable debtor, not at work or in hospital without consent
    /// (a disputed debt is refused with the debtor's requests).
    private func ukVisit(_ proposed: ProposedContact, _ standing: DebtorContactStanding) -> [ContactRefusal] {
        guard proposed.channel == .fieldVisit else { return [] }
        var refusals: [ContactRefusal] = []
        if !proposed.noticeGiven { refusals.append(.visitWithoutNotice) }
        if standing.vulnerable { refusals.append(.vulnerableDebtor) }
        if [.work, .hospital].contains(proposed.place), !proposed.debtorConsentsToPlace {
            refusals.append(.visitPlaceWithoutConsent(proposed.place))
        }
        return refusals
    }

    /// A whole hour of the day, 0 to 23.
    private static func time(_ hour: Int) -> LocalTime {
        do { return try LocalTime(hour: hour, minute: 0) } catch { preconditionFailure("hour \(hour) is not 0 to 23") }
    }
}
