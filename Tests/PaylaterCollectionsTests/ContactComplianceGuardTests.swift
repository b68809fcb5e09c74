import PaylaterCollections
import PaylaterTime
import Testing

/// The compliance guard in front of every contact, read as the rules of each jurisdiction say.
@Suite("Contact compliance guard")
struct ContactComplianceGuardTests {
    static func zone(_ name: String) throws -> TimeZoneRules { try TimeZoneDatabase.system.rules(for: name) }
    static func instant(_ local: String, in zone: String) throws -> Instant {
        try Self.zone(zone).instant(for: LocalDateTime(iso8601: local))
    }

    let us = ContactComplianceGuard(jurisdiction: .unitedStates(state: nil))
    let china = ContactComplianceGuard(jurisdiction: .china)
    let uk = ContactComplianceGuard(jurisdiction: .unitedKingdom)

    func call(_ at: Instant, debt: String = "plan-1", number: String? = "+1-555-0100") -> ProposedContact {
        ProposedContact(debtID: debt, channel: .call, at: at, number: number)
    }

    @Test("US: 8:00 to 21:00 local time, the first second in and the last second out; a letter has no hours")
    func usHours() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/New_York")])
        for (local, allowed) in [
            ("2026-06-10T07:59:59", false), ("2026-06-10T08:00:00", true), ("2026-06-10T20:59:59", true),
            ("2026-06-10T21:00:00", false),
        ] {
            let verdict = us.check(call(try Self.instant(local, in: "America/New_York")), standing: standing, history: [])
            #expect((verdict == .allowed) == allowed, "\(local): \(verdict)")
        }
        let night = try Self.instant("2026-06-10T03:00:00", in: "America/New_York")
        #expect(us.check(ProposedContact(debtID: "plan-1", channel: .letter, at: night), standing: standing, history: []) == .allowed)
    }

    @Test("US: the hours hold in every place the debtor may be; the refusal names the zone that is out")
    func everyPossibleLocation() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/New_York"), try Self.zone("America/Los_Angeles")])
        let at = try Self.instant("2026-06-10T08:30:00", in: "America/New_York")
        guard case let .refused(refusals) = us.check(call(at), standing: standing, history: []) else {
            Issue.record("8:30 in New York is 5:30 in Los Angeles")
            return
        }
        #expect(refusals.count == 1)
        guard case let .outsideContactHours(zone, local, _, _)? = refusals.first else { return }
        #expect(zone == "America/Los_Angeles" && local.description.hasPrefix("2026-06-10T05:30"))
        #expect(us.check(call(try Self.instant("2026-06-10T11:00:00", in: "America/New_York")), standing: standing, history: []) == .allowed)
    }

    @Test("US hours follow daylight saving: 8:30 on the spring-forward and fall-back days is allowed, 7:30 is not")
    func daylightSaving() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/New_York")])
        // 2026-03-08: clocks go from 2:00 EST to 3:00 EDT; 2026-11-01: from 2:00 EDT back to 1:00 EST.
        for day in ["2026-03-08", "2026-11-01"] {
            #expect(us.check(call(try Self.instant("\(day)T08:30:00", in: "America/New_York")), standing: standing, history: []) == .allowed)
            #expect(us.check(call(try Self.instant("\(day)T07:30:00", in: "America/New_York")), standing: standing, history: []) != .allowed)
        }
        // 12:30 UTC on the spring-forward day is 8:30 EDT (a fixed UTC-5 would make it 7:30).
        let utc = try Self.instant("2026-03-08T12:30:00", in: "UTC")
        #expect(us.check(call(utc), standing: standing, history: []) == .allowed)
    }

    @Test("Reg F: at most 7 calls about a debt in 7 consecutive days; the 8th day's call falls out; calls the debtor asked for and other debts do not count")
    func sevenInSeven() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/Chicago")])
        let days = try (1...7).map { try Self.instant("2026-06-0\($0)T10:00:00", in: "America/Chicago") }
        let history = days.map { ContactAttempt(debtID: "plan-1", channel: .call, at: $0) }
        let eighthCallSameWeek = try Self.instant("2026-06-07T15:00:00", in: "America/Chicago")
        #expect(us.check(call(eighthCallSameWeek), standing: standing, history: history) == .refused([.callFrequency(calls: 7, days: 7, maximum: 7)]))
        // On June 8 the call of June 1 is 8 days back: 6 remain.
        let nextDay = try Self.instant("2026-06-08T10:00:00", in: "America/Chicago")
        #expect(us.check(call(nextDay), standing: standing, history: history) == .allowed)
        #expect(us.check(call(eighthCallSameWeek, debt: "plan-2"), standing: standing, history: history) == .allowed)
        var asked = history
        asked[0] = ContactAttempt(debtID: "plan-1", channel: .call, at: days[0], requestedByDebtor: true)
        #expect(us.check(call(eighthCallSameWeek), standing: standing, history: asked) == .allowed)
        // Texts and emails are not calls.
        let texts = days.map { ContactAttempt(debtID: "plan-1", channel: .text, at: $0) }
        #expect(us.check(call(eighthCallSameWeek), standing: standing, history: texts) == .allowed)
    }

    @Test("Reg F: after a telephone conversation about the debt, no call for 7 days, that day the first")
    func afterConversation() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/New_York")])
        let talked = ContactAttempt(
            debtID: "plan-1", channel: .call, at: try Self.instant("2026-06-01T19:00:00", in: "America/New_York"), conversation: true)
        let seventhDay = try Self.instant("2026-06-07T09:00:00", in: "America/New_York")
        #expect(us.check(call(seventhDay), standing: standing, history: [talked]) == .refused([.recentConversation(date: try LocalDate(iso8601: "2026-06-01"))]))
        let eighthDay = try Self.instant("2026-06-08T09:00:00", in: "America/New_York")
        #expect(us.check(call(eighthDay), standing: standing, history: [talked]) == .allowed)
        var asked = call(seventhDay)
        asked.requestedByDebtor = true
        #expect(us.check(asked, standing: standing, history: [talked]) == .allowed, "the debtor asked to be called back")
    }

    @Test("US: a cease request, an attorney, a pending dispute, an opted-out channel and a forbidden workplace each refuse, all named")
    func debtorsRequests() throws {
        let zone = try Self.zone("America/New_York")
        let at = try Self.instant("2026-06-10T10:00:00", in: "America/New_York")
        let standing = DebtorContactStanding(
            timeZones: [zone], ceaseRequested: true, representedByAttorney: true, disputePending: true,
            employerProhibitsContactAtWork: true, optedOutChannels: [.call])
        var proposed = call(at)
        proposed.place = .work
        #expect(us.check(proposed, standing: standing, history: []) == .refused([
            .ceaseRequested, .representedByAttorney, .disputePending, .contactAtWorkProhibited, .channelOptedOut(.call),
        ]))
        // Once an attorney is known, not even a third party is asked where the debtor is (FDCPA 804(6)).
        let locate = ProposedContact(debtID: "plan-1", channel: .call, party: .thirdParty, at: at, number: "+1-555-0199", mentionsDebt: false)
        #expect(us.check(locate, standing: DebtorContactStanding(timeZones: [zone], representedByAttorney: true), history: [])
            == .refused([.representedByAttorney]))
        #expect(us.check(locate, standing: DebtorContactStanding(timeZones: [zone]), history: []) == .allowed)
        let email = ProposedContact(debtID: "plan-1", channel: .email, at: at)
        #expect(us.check(email, standing: DebtorContactStanding(timeZones: [zone], optedOutChannels: [.call]), history: []) == .allowed)
    }

    @Test("third parties are never told of the debt; in China only a debtor who cannot be reached makes them callable")
    func thirdParties() throws {
        let shanghai = try Self.zone("Asia/Shanghai")
        let at = try Self.instant("2026-06-10T10:00:00", in: "Asia/Shanghai")
        var emergency = ProposedContact(debtID: "plan-1", channel: .call, party: .thirdParty, at: at, number: "+86-139", mentionsDebt: false)
        #expect(china.check(emergency, standing: DebtorContactStanding(timeZones: [shanghai]), history: []) == .refused([.thirdPartyWhileDebtorReachable]))
        #expect(china.check(emergency, standing: DebtorContactStanding(timeZones: [shanghai], unreachable: true), history: []) == .allowed)
        emergency.mentionsDebt = true
        #expect(china.check(emergency, standing: DebtorContactStanding(timeZones: [shanghai], unreachable: true), history: []) == .refused([.debtDisclosedToThirdParty]))
        emergency.at = try Self.instant("2026-06-10T10:00:00", in: "Europe/London")
        #expect(uk.check(emergency, standing: DebtorContactStanding(timeZones: [try Self.zone("Europe/London")]), history: []) == .refused([.debtDisclosedToThirdParty]))
    }

    @Test("China: no collection from 22:00 to 8:00; at most 3 effective calls a day with the debtor and 6 calls a day to one number")
    func chinaCalls() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("Asia/Shanghai")])
        #expect(china.check(call(try Self.instant("2026-06-10T21:59:59", in: "Asia/Shanghai")), standing: standing, history: []) == .allowed)
        #expect(china.check(call(try Self.instant("2026-06-10T22:00:00", in: "Asia/Shanghai")), standing: standing, history: []) != .allowed)
        let morning = try (0..<6).map { try Self.instant("2026-06-10T09:0\($0):00", in: "Asia/Shanghai") }
        let now = try Self.instant("2026-06-10T15:00:00", in: "Asia/Shanghai")
        // Three conversations (on three numbers): a fourth effective call today is refused, whatever the number.
        let talks = morning.prefix(3).enumerated().map {
            ContactAttempt(debtID: "plan-1", channel: .call, at: $0.element, number: "n\($0.offset)", conversation: true)
        }
        #expect(china.check(call(now, number: "n9"), standing: standing, history: talks) == .refused([.effectiveCallsToday(count: 3, maximum: 3)]))
        // Unanswered calls do not count as effective; six to one number stop a seventh to it.
        let rings = morning.map { ContactAttempt(debtID: "plan-1", channel: .call, at: $0, number: "n1") }
        #expect(china.check(call(now, number: "n1"), standing: standing, history: rings) == .refused([.callsToNumberToday(count: 6, maximum: 6)]))
        #expect(china.check(call(now, number: "n2"), standing: standing, history: rings) == .allowed)
        // The next local day starts afresh.
        let tomorrow = try Self.instant("2026-06-11T08:00:00", in: "Asia/Shanghai")
        #expect(china.check(call(tomorrow, number: "n1"), standing: standing, history: rings + talks) == .allowed)
    }

    @Test("China: a field visit (上门) needs at least two collectors")
    func chinaVisit() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("Asia/Shanghai")])
        let at = try Self.instant("2026-06-10T10:00:00", in: "Asia/Shanghai")
        let alone = ProposedContact(debtID: "plan-1", channel: .fieldVisit, at: at, collectors: 1)
        #expect(china.check(alone, standing: standing, history: []) == .refused([.tooFewCollectorsForVisit(collectors: 1, minimum: 2)]))
        var pair = alone
        pair.collectors = 2
        #expect(china.check(pair, standing: standing, history: []) == .allowed)
    }

    @Test("UK: a home visit needs notice, never to a vulnerable debtor, not in hospital or at work without consent, not on a disputed debt")
    func ukVisits() throws {
        let london = try Self.zone("Europe/London")
        let at = try Self.instant("2026-06-10T11:00:00", in: "Europe/London")
        var visit = ProposedContact(debtID: "plan-1", channel: .fieldVisit, place: .hospital, at: at)
        let standing = DebtorContactStanding(timeZones: [london], disputePending: true, vulnerable: true)
        #expect(uk.check(visit, standing: standing, history: []) == .refused([
            .disputePending, .visitWithoutNotice, .vulnerableDebtor, .visitPlaceWithoutConsent(.hospital),
        ]))
        visit.noticeGiven = true
        visit.debtorConsentsToPlace = true
        #expect(uk.check(visit, standing: DebtorContactStanding(timeZones: [london]), history: []) == .allowed)
        // A call on a disputed debt is not a visit: CONC 7 leaves it to the firm's handling of the dispute.
        #expect(uk.check(call(at), standing: DebtorContactStanding(timeZones: [london], disputePending: true), history: []) == .allowed)
    }

    @Test("Massachusetts: 2 calls in 7 days, a visit at most once in 30 days and never at work")
    func massachusetts() throws {
        let guardMA = ContactComplianceGuard(jurisdiction: .unitedStates(state: "MA"))
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/New_York")])
        let calls = try ["2026-06-01", "2026-06-03"].map {
            ContactAttempt(debtID: "plan-1", channel: .call, at: try Self.instant("\($0)T10:00:00", in: "America/New_York"))
        }
        let at = try Self.instant("2026-06-05T10:00:00", in: "America/New_York")
        #expect(guardMA.check(call(at), standing: standing, history: calls) == .refused([.callFrequency(calls: 2, days: 7, maximum: 2)]))
        #expect(us.check(call(at), standing: standing, history: calls) == .allowed)
        let visited = ContactAttempt(debtID: "plan-1", channel: .fieldVisit, at: try Self.instant("2026-05-20T10:00:00", in: "America/New_York"))
        let visit = ProposedContact(debtID: "plan-1", channel: .fieldVisit, place: .work, at: at)
        #expect(guardMA.check(visit, standing: standing, history: [visited]) == .refused([
            .contactAtWorkProhibited, .visitFrequency(last: visited.at, days: 30),
        ]))
    }

    @Test("contacts recorded after the proposed one count too: every 7-day window holding its day, the whole local day, 30 days either side")
    func laterContactsCount() throws {
        let chicago = DebtorContactStanding(timeZones: [try Self.zone("America/Chicago")])
        let later = try (2...8).map {
            ContactAttempt(debtID: "plan-1", channel: .call, at: try Self.instant("2026-06-0\($0)T10:00:00", in: "America/Chicago"))
        }
        // June 2 at 9:00, before that day's call: June 2-8 would hold 8 calls.
        let early = try Self.instant("2026-06-02T09:00:00", in: "America/Chicago")
        #expect(us.check(call(early), standing: chicago, history: later) == .refused([.callFrequency(calls: 7, days: 7, maximum: 7)]))
        // June 1 at 9:00: June 1-7 would hold 7, June 2-8 does not hold it.
        #expect(us.check(call(try Self.instant("2026-06-01T09:00:00", in: "America/Chicago")), standing: chicago, history: later) == .allowed)
        let shanghai = DebtorContactStanding(timeZones: [try Self.zone("Asia/Shanghai")])
        let afternoon = try (0..<6).map {
            ContactAttempt(debtID: "plan-1", channel: .call, at: try Self.instant("2026-06-10T15:0\($0):00", in: "Asia/Shanghai"), number: "n1")
        }
        let morning = try Self.instant("2026-06-10T09:00:00", in: "Asia/Shanghai")
        #expect(china.check(call(morning, number: "n1"), standing: shanghai, history: afternoon) == .refused([.callsToNumberToday(count: 6, maximum: 6)]))
        let guardMA = ContactComplianceGuard(jurisdiction: .unitedStates(state: "MA"))
        let newYork = DebtorContactStanding(timeZones: [try Self.zone("America/New_York")])
        let visited = ContactAttempt(debtID: "plan-1", channel: .fieldVisit, at: try Self.instant("2026-06-20T10:00:00", in: "America/New_York"))
        let visit = ProposedContact(debtID: "plan-1", channel: .fieldVisit, at: try Self.instant("2026-06-10T10:00:00", in: "America/New_York"))
        #expect(guardMA.check(visit, standing: newYork, history: [visited]) == .refused([.visitFrequency(last: visited.at, days: 30)]))
    }

    @Test("a state code is accepted only for a state whose rules the guard applies (Massachusetts); another is not silently federal")
    func stateCodes() {
        #expect(CollectionsJurisdiction(code: "US-MA") == .unitedStates(state: "MA"))
        #expect(CollectionsJurisdiction(code: "us-ma") == .unitedStates(state: "MA"))
        #expect(CollectionsJurisdiction(code: "US-NY") == nil)
        #expect(CollectionsJurisdiction(code: "US-ZZ") == nil)
    }

    @Test("a proposal at the edge of the representable time line is weighed, not a crash")
    func edgesOfTime() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("America/New_York")])
        let visit = ProposedContact(debtID: "plan-1", channel: .fieldVisit, at: Instant.minimum.advanced(by: .seconds(86_400)))
        let guardMA = ContactComplianceGuard(jurisdiction: .unitedStates(state: "MA"))
        #expect(guardMA.check(visit, standing: standing, history: [ContactAttempt(debtID: "plan-1", channel: .fieldVisit, at: .minimum)]) != .allowed)
    }

    @Test("China: a call without its number is refused, since the CBA's 6 calls a day to one number cannot be counted for it")
    func chinaCallWithoutNumber() throws {
        let standing = DebtorContactStanding(timeZones: [try Self.zone("Asia/Shanghai")])
        let rings = try (0..<6).map {
            ContactAttempt(debtID: "plan-1", channel: .call, at: try Self.instant("2026-06-10T09:0\($0):00", in: "Asia/Shanghai"), number: "n1")
        }
        let now = try Self.instant("2026-06-10T15:00:00", in: "Asia/Shanghai")
        #expect(china.check(call(now, number: nil), standing: standing, history: rings) != .allowed)
        #expect(china.check(call(now, number: "n2"), standing: standing, history: rings) == .allowed)
        // Elsewhere no rule counts calls by number.
        let chicago = DebtorContactStanding(timeZones: [try Self.zone("America/Chicago")])
        #expect(us.check(call(try Self.instant("2026-06-10T10:00:00", in: "America/Chicago"), number: nil), standing: chicago, history: []) == .allowed)
    }
}

@Suite("Delinquency buckets")
struct DelinquencyBucketTests {
    @Test("each band's first and last day; charge-off review past 180 days")
    func boundaries() {
        let cases: [(Int, DelinquencyBucket)] = [
            (-3, .current), (0, .current), (1, .days1To30), (30, .days1To30), (31, .days31To60), (60, .days31To60),
            (61, .days61To90), (90, .days61To90), (91, .days91To180), (180, .days91To180), (181, .over180), (4_000, .over180),
        ]
        for (days, bucket) in cases { #expect(DelinquencyBucket(daysPastDue: days) == bucket, "\(days) days") }
        #expect(DelinquencyBucket.allCases.filter(\.isChargeOffCandidate) == [.over180])
        #expect(DelinquencyBucket.days1To30 < .days31To60 && DelinquencyBucket.current < .over180)
    }
}
