import PaylaterMoney
import PaylaterProducts
import PaylaterTime

// The stored order and what it holds, written without `Codable` (see `CanonicalJSONWritable`): the same bytes as
// their `Encodable` forms. The HTTP API writes the same nested values with snake_case keys.

extension Order: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("authorized")
            json.value(authorized)
            json.key("authorizedAt")
            json.value(authorizedAt)
            json.key("captures")
            json.array(captures) { $0.value($1) }
            json.key("checkoutID")
            json.string(checkoutID)
            json.key("consumerID")
            json.string(consumerID)
            json.optional("delivery", delivery) { $0.value($1) }
            json.key("expiresAt")
            json.value(expiresAt)
            json.key("holdGeneration")
            json.integer(Int64(holdGeneration))
            json.key("id")
            json.string(id)
            json.key("merchantID")
            json.string(merchantID)
            json.key("merchantReference")
            json.string(merchantReference)
            json.key("productID")
            json.string(productID)
            json.optional("promotion", promotion) { $0.value($1) }
            json.key("refunds")
            json.array(refunds) { $0.value($1) }
            json.key("state")
            json.string(state.rawValue)
        }
    }
}

extension OrderCapture: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("amount")
            json.value(amount)
            json.key("at")
            json.value(at)
            json.key("id")
            json.string(id)
            json.key("planID")
            json.string(planID)
        }
    }
}

extension OrderRefund: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("allocations")
            json.array(allocations) { json, portion in
                json.object { json in
                    json.key("amount")
                    json.value(portion.amount)
                    json.key("planID")
                    json.string(portion.planID)
                }
            }
            json.key("amount")
            json.value(amount)
            json.key("at")
            json.value(at)
            json.key("id")
            json.string(id)
        }
    }
}

extension OrderDelivery: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("confirmedOn")
            json.string(confirmedOn.description)
            json.key("deliveredOn")
            json.string(deliveredOn.description)
        }
    }
}

extension PromotionGrant: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.key("grantedOn")
            json.string(grantedOn.description)
            json.key("merchantId")
            json.string(merchantID)
            json.key("merchantShareBp")
            json.integer(merchantShare.rawValue)
            json.key("promotionId")
            json.string(promotionID)
        }
    }
}
