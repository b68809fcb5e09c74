import PaylaterMoney
import PaylaterTime
import PaylaterUnderwriting

// The stored credit decision and limit change, written without `Codable` (see `CanonicalJSONWritable`): the
// same bytes as their `Encodable` forms, keys in sorted order, enum cases as Swift synthesizes them.

extension Money: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("amount")
            json.integer(minorUnits)
            json.key("currency")
            json.string(currency.code)
        }
    }
}

extension Instant: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) { json.string(description) }
}

extension CreditDecision: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("arm")
            json.string(arm.rawValue)
            json.optional("band", band) { $0.string($1) }
            json.key("id")
            json.string(id)
            json.optional("limitChange", limitChange) { $0.value($1) }
            json.optional("model", model) { $0.value($1) }
            json.key("outcome")
            json.value(outcome)
            json.optional("points", points) { $0.number($1) }
            json.key("policyId")
            json.string(policyId)
            json.key("policyVersion")
            json.integer(policyVersion)
            json.optional("probabilityOfBad", probabilityOfBad) { $0.number($1) }
            json.key("reasons")
            json.array(reasons) { $0.value($1) }
            json.key("snapshot")
            json.value(snapshot)
        }
    }
}

extension DecisionOutcome: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case let .approved(limit, approvedAmount, eligibleProducts):
            json.enumCase("approved") { json in
                json.key("approvedAmount")
                json.value(approvedAmount)
                json.key("eligibleProducts")
                json.array(eligibleProducts) { $0.string($1) }
                json.key("limit")
                json.value(limit)
            }
        case .declined: json.enumCase("declined")
        case .referred: json.enumCase("referred")
        }
    }
}

extension DecisionReason: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("code")
            json.string(code.rawValue)
            json.optional("feature", feature) { $0.string($1) }
            json.key("operatorDetail")
            json.string(operatorDetail)
            json.key("shopperMessage")
            json.string(shopperMessage)
        }
    }
}

extension ModelIdentity: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("name")
            json.string(name)
            json.key("version")
            json.string(version)
        }
    }
}

extension LimitChange: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("at")
            json.value(at)
            json.key("from")
            json.value(from)
            json.key("reason")
            json.value(reason)
            json.key("to")
            json.value(to)
        }
    }
}

extension CreditLimit: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case .none: json.enumCase("none")
        case let .active(amount):
            json.enumCase("active") { json in
                json.key("_0")
                json.value(amount)
            }
        case let .frozen(amount, reason):
            json.enumCase("frozen") { json in
                json.key("_0")
                json.value(amount)
                json.key("reason")
                json.string(reason.rawValue)
            }
        }
    }
}

extension LimitChangeReason: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        switch self {
        case let .initial(band):
            json.enumCase("initial") { json in
                json.key("band")
                json.string(band)
            }
        case let .increase(onTimeCycles):
            json.enumCase("increase") { json in
                json.key("onTimeCycles")
                json.integer(onTimeCycles)
            }
        case let .decrease(probabilityOfBad):
            json.enumCase("decrease") { json in
                json.key("probabilityOfBad")
                json.number(probabilityOfBad)
            }
        case let .freeze(reason):
            json.enumCase("freeze") { json in
                json.key("_0")
                json.string(reason.rawValue)
            }
        case .unfreeze: json.enumCase("unfreeze")
        }
    }
}

extension DecisionSnapshot: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("application")
            json.value(application)
            json.optional("challenger", challenger) { $0.value($1) }
            json.key("champion")
            json.value(champion)
            json.key("context")
            json.value(context)
            json.key("policyId")
            json.string(policyId)
            json.key("policyVersion")
            json.integer(policyVersion)
        }
    }
}

extension CreditApplication: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("addressHash")
            json.string(addressHash)
            json.key("ageYears")
            json.integer(ageYears)
            json.key("at")
            json.value(at)
            json.key("decisionId")
            json.string(decisionId)
            json.optional("declaredMonthlyIncome", declaredMonthlyIncome) { $0.value($1) }
            json.key("deviceHash")
            json.string(deviceHash)
            json.optional("distanceFromUsualAddressKilometres", distanceFromUsualAddressKilometres) { $0.number($1) }
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
            json.key("instrumentHash")
            json.string(instrumentHash)
            json.key("isIdentityVerified")
            json.bool(isIdentityVerified)
            json.key("merchantId")
            json.string(merchantId)
            json.key("offeredProducts")
            json.array(offeredProducts) { $0.string($1) }
            json.key("orderAmount")
            json.value(orderAmount)
            json.key("requestedProducts")
            json.array(requestedProducts) { $0.string($1) }
            json.key("shopperHash")
            json.string(shopperHash)
        }
    }
}

extension ApplicantContext: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("availableCredit")
            json.value(availableCredit)
            json.key("creditLimit")
            json.value(creditLimit)
            json.key("exposure")
            json.object { json in
                json.key("fundingCapacity")
                json.value(exposure.fundingCapacity)
                json.key("outstandingAndHolds")
                json.value(exposure.outstandingAndHolds)
            }
            json.key("isDelinquent")
            json.bool(isDelinquent)
            json.key("isFirstOrder")
            json.bool(isFirstOrder)
            json.key("isOnBlockedList")
            json.bool(isOnBlockedList)
            json.optional("lastDeclineAt", lastDeclineAt) { $0.value($1) }
            json.key("monthlyObligations")
            json.value(monthlyObligations)
            json.key("outstandingBalance")
            json.value(outstandingBalance)
            json.key("recentOrders")
            json.array(recentOrders) { json, event in
                json.object { json in
                    json.key("addressHash")
                    json.string(event.addressHash)
                    json.key("at")
                    json.value(event.at)
                    json.key("deviceHash")
                    json.string(event.deviceHash)
                    json.key("instrumentHash")
                    json.string(event.instrumentHash)
                    json.key("shopperHash")
                    json.string(event.shopperHash)
                }
            }
            json.optional("spendingCap", spendingCap) { json, cap in
                json.object { json in
                    json.key("cap")
                    json.value(cap.cap)
                    json.key("spentInPeriod")
                    json.value(cap.spentInPeriod)
                }
            }
        }
    }
}
