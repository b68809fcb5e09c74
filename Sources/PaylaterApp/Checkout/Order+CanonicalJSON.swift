import PaylaterMoney
import PaylaterProducts
import PaylaterTime

// The stored order and what it holds, written without `Codable` (see `CanonicalJSONWritable`): the same bytes as
// their `Encodable` forms. The HTTP API writes the same nested values with snake_case keys.

extension Order: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("authorized", authorized)
            json.field("authorizedAt", authorizedAt)
            json.field("captures", captures)
            json.field("checkoutID", checkoutID)
            json.field("consumerID", consumerID)
            json.field("delivery", delivery)
            json.field("expiresAt", expiresAt)
            json.field("holdGeneration", Int64(holdGeneration))
            json.field("id", id)
            json.field("merchantID", merchantID)
            json.field("merchantReference", merchantReference)
            json.field("productID", productID)
            json.field("promotion", promotion)
            json.field("refunds", refunds)
            json.field("state", state.rawValue)
        }
    }
}

extension OrderCapture: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("amount", amount)
            json.field("at", at)
            json.field("id", id)
            json.field("planID", planID)
        }
    }
}

extension OrderRefund: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("allocations", allocations)
            json.field("amount", amount)
            json.field("at", at)
            json.field("id", id)
        }
    }
}

extension RefundPortion: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("amount", amount)
            json.field("planID", planID)
        }
    }
}

extension OrderDelivery: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("confirmedOn", confirmedOn.description)
            json.field("deliveredOn", deliveredOn.description)
        }
    }
}

extension PromotionGrant: CanonicalJSONWritable {
    package func write(to json: inout CanonicalJSONWriter) {
        json.object { json in
            json.field("grantedOn", grantedOn.description)
            json.field("merchantId", merchantID)
            json.field("merchantShareBp", merchantShare.rawValue)
            json.field("promotionId", promotionID)
        }
    }
}
