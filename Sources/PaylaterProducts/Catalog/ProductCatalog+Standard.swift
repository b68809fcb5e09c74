extension ProductCatalog {
    /// The built-in catalog, in the JSON shape `init(json:)` reads: try-then-pay, pay-in-4, a 6-month split at 0.5%
    /// a month and 12-month financing at 1% a month, sold in CN under a 24% cn-irr cap.
    public static let standardJSON = """
        {"rate_caps": [{"jurisdiction": "CN", "apr_percent": "24", "method": "cn-irr"},
                       {"jurisdiction": "US", "apr_percent": "36", "method": "us-regz"}],
         "products": [
           {"id": "try-then-pay", "kind": "try_then_pay", "currencies": ["CNY"], "minimum": "1.00",
            "maximum": "5000.00", "due_after_days": 14},
           {"id": "pay-in-4", "kind": "pay_in_4", "currencies": ["CNY", "USD"], "minimum": "50.00",
            "maximum": "2000.00", "interval_days": 14},
           {"id": "monthly-split-6", "kind": "monthly_split", "months": 6, "monthly_fee_rate": "0.005",
            "currencies": ["CNY"], "minimum": "10.00", "maximum": "30000.00"},
           {"id": "financing-12", "kind": "financing", "method": "equal_installments", "months": 12,
            "monthly_rate": "0.01", "currencies": ["CNY", "USD"], "minimum": "500.00", "maximum": "50000.00"}],
         "jurisdiction": "CN"}
        """

    /// `standardJSON`, loaded; the tests check that it loads.
    public static let standard: ProductCatalog = {
        do { return try ProductCatalog(json: Array(standardJSON.utf8)) } catch {
            preconditionFailure("the standard catalog is valid: \(error)")
        }
    }()
}
