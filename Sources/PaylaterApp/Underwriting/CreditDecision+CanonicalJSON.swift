import PaylaterMoney
import PaylaterTime
import PaylaterUnderwriting

// The stored credit decision and limit change, written without `Codable` (see `CanonicalJSONWritable`): the
// same bytes as their `Encodable` forms, keys in sorted order, enum cases as Swift synthesizes them.

extension Money: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.money(minorUnits: minorUnits, currencyCode: currency.code)
    }
}

extension Instant: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) { json.instant(self) }
}

extension CreditDecision: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        write(to: &json, encodedApplication: nil)
    }

    /// As `write(to:)`, with the snapshot's application given as its canonical JSON when `encodedApplication` is
    /// not nil: made when the decision was prepared, before the single writer (see `PreparedApplication`).
    package func write(to json: inout CanonicalJSONWriter, encodedApplication: [UInt8]?) {
        json.object { json in
            json.field("arm", arm.rawValue)
            json.field("band", band)
            json.field("id", id)
            json.field("limitChange", limitChange)
            json.field("model", model)
            json.field("outcome", outcome)
            json.field("points", points)
            json.field("policyId", policyId)
            json.field("policyVersion", policyVersion)
            json.field("probabilityOfBad", probabilityOfBad)
            json.field("reasons", reasons)
            json.key("snapshot")
            snapshot.write(to: &json, encodedApplication: encodedApplication)
        }
    }
}

extension DecisionOutcome: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case let .approved(limit, approvedAmount, eligibleProducts):
            json.enumCase("approved") { json in
                json.field("approvedAmount", approvedAmount)
                json.field("eligibleProducts", eligibleProducts)
                json.field("limit", limit)
            }
        case .declined: json.enumCase("declined")
        case .referred: json.enumCase("referred")
        }
    }
}

extension DecisionReason: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("code", code.rawValue)
            json.field("feature", feature)
            json.field("operatorDetail", operatorDetail)
            json.field("shopperMessage", shopperMessage)
        }
    }
}

extension ModelIdentity: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("name", name)
            json.field("version", version)
        }
    }
}

extension LimitChange: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("at", at)
            json.field("from", from)
            json.field("reason", reason)
            json.field("to", to)
        }
    }
}

extension CreditLimit: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case .none: json.enumCase("none")
        case let .active(amount):
            json.enumCase("active") { json in
                json.field("_0", amount)
            }
        case let .frozen(amount, reason):
            json.enumCase("frozen") { json in
                json.field("_0", amount)
                json.field("reason", reason.rawValue)
            }
        }
    }
}

extension LimitChangeReason: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case let .initial(band):
            json.enumCase("initial") { json in
                json.field("band", band)
            }
        case let .increase(onTimeCycles):
            json.enumCase("increase") { json in
                json.field("onTimeCycles", onTimeCycles)
            }
        case let .decrease(probabilityOfBad):
            json.enumCase("decrease") { json in
                json.field("probabilityOfBad", probabilityOfBad)
            }
        case let .freeze(reason):
            json.enumCase("freeze") { json in
                json.field("_0", reason.rawValue)
            }
        case .unfreeze: json.enumCase("unfreeze")
        }
    }
}

extension DecisionSnapshot: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        write(to: &json, encodedApplication: nil)
    }

    /// As `write(to:)`, the application as `encodedApplication` when given (see `CreditDecision`'s).
    func write(to json: inout CanonicalJSONWriter, encodedApplication: [UInt8]?) {
        json.object { json in
            json.key("application")
            if let encodedApplication {
                assert(encodedApplication == (try? CanonicalJSONWriter.bytes(of: application)), "a stale encoded application")
                json.encoded(encodedApplication)
            } else {
                json.value(application)
            }
            json.field("challenger", challenger)
            json.field("champion", champion)
            json.field("context", context)
            json.field("policyId", policyId)
            json.field("policyVersion", policyVersion)
        }
    }
}

extension CreditApplication: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("addressHash", addressHash)
            json.field("ageYears", ageYears)
            json.field("at", at)
            json.field("decisionId", decisionId)
            json.field("declaredMonthlyIncome", declaredMonthlyIncome)
            json.field("deviceHash", deviceHash)
            json.field("distanceFromUsualAddressKilometres", distanceFromUsualAddressKilometres)
            json.key("features")
            json.object { json in
                for name in features.names {  // sorted
                    json.key(name)
                    switch features[name] {
                    case let .number(number): json.number(number)
                    case let .category(label): json.string(label)
                    case .missing: json.null()
                    }
                }
            }
            json.field("instrumentHash", instrumentHash)
            json.field("isIdentityVerified", isIdentityVerified)
            json.field("merchantId", merchantId)
            json.field("offeredProducts", offeredProducts)
            json.field("orderAmount", orderAmount)
            json.field("requestedProducts", requestedProducts)
            json.field("review", review)
            json.field("shopperHash", shopperHash)
        }
    }
}

extension ReferralReview: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("referredAt", referredAt)
            json.field("referredDecisionId", referredDecisionId)
            json.key("verdict")
            switch verdict {
            case let .approved(reviewer, note):
                json.enumCase("approved") { json in
                    json.field("by", reviewer)
                    json.field("note", note)
                }
            case let .declined(reviewer, note):
                json.enumCase("declined") { json in
                    json.field("by", reviewer)
                    json.field("note", note)
                }
            case let .expired(window): json.enumCase("expired") { json in json.field("windowSeconds", window) }
            }
        }
    }
}

extension ApplicantContext: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("availableCredit", availableCredit)
            json.field("creditLimit", creditLimit)
            json.field("exposure", exposure)
            json.field("heldAuthorizations", heldAuthorizations)
            json.field("isDelinquent", isDelinquent)
            json.field("isFirstOrder", isFirstOrder)
            json.field("isOnBlockedList", isOnBlockedList)
            json.field("lastDeclineAt", lastDeclineAt)
            json.field("monthlyObligations", monthlyObligations)
            json.field("outstandingBalance", outstandingBalance)
            json.field("recentOrders", recentOrders)
            json.field("spendingCap", spendingCap)
        }
    }
}

extension PlatformExposure: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("fundingCapacity", fundingCapacity)
            json.field("outstandingAndHolds", outstandingAndHolds)
        }
    }
}

extension OrderEvent: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("addressHash", addressHash)
            json.field("at", at)
            json.field("deviceHash", deviceHash)
            json.field("instrumentHash", instrumentHash)
            json.field("shopperHash", shopperHash)
        }
    }
}

extension SpendingCap: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("cap", cap)
            json.field("spentInPeriod", spentInPeriod)
        }
    }
}
