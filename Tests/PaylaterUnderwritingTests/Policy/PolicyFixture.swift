/// The policy the tests decide under: the same as `config/policy.example.json` when the example was written, kept
/// here so that editing the example cannot change what the tests mean. Swift rather than a JSON file, because the
/// test target declares no resources.
enum PolicyFixture {
    static let json = #"""
{
  "id": "cn-default",
  "version": 4,
  "currencies": ["CNY", "USD"],
  "knock_outs": {"minimum_age_years": 18},
  "cut_offs": {"approve_at_or_below": 0.05, "refer_at_or_below": 0.12},
  "score_bands": [
    {"name": "A", "max_probability_of_bad": 0.02, "initial_limit": {"CNY": "5000.00", "USD": "700.00"},
     "products": ["try-then-pay", "pay-in-4", "monthly-bill", "monthly-split-6", "financing-12"]},
    {"name": "B", "max_probability_of_bad": 0.05, "initial_limit": {"CNY": "2000.00", "USD": "300.00"},
     "products": ["try-then-pay", "pay-in-4", "monthly-bill", "monthly-split-6"]},
    {"name": "C", "max_probability_of_bad": 0.12, "initial_limit": {"CNY": "800.00", "USD": "120.00"},
     "products": ["try-then-pay", "pay-in-4"]}
  ],
  "affordability": {"max_debt_service_bps": 4000, "order_repayment_months": 1,
                    "default_monthly_income": {"CNY": "3000.00", "USD": "1500.00"}},
  "cooling_off_days": 30,
  "velocity": {
    "orders_per_device": {"hour": 3, "day": 10},
    "orders_per_address": {"hour": 3, "day": 10},
    "orders_per_instrument": {"hour": 3, "day": 10},
    "accounts_per_device": 3,
    "first_order_high_value": {"CNY": "3000.00", "USD": "400.00"},
    "max_distance_km": 500
  },
  "limits": {"increase_after_on_time_cycles": 3, "increase_bps": 2000,
             "maximum_limit": {"CNY": "20000.00", "USD": "3000.00"},
             "decrease_above_probability_of_bad": 0.15, "decrease_bps": 3000},
  "exposure": {
    "tightening_bands": [
      {"at_or_above_utilisation_bps": 9000, "approve_at_or_below": 0.03,
       "max_order_amount": {"CNY": "2000.00", "USD": "300.00"}}
    ],
    "stop_at_utilisation_bps": 10000
  },
  "reason_texts": {
    "generic": "We couldn't approve this order right now",
    "codes": {
      "under_minimum_age": "You must be 18 or older to pay later",
      "identity_not_verified": "We could not verify your identity",
      "delinquent_on_platform": "A repayment on the platform is overdue",
      "cooling_off": "You applied recently and were not approved; please try again later",
      "model_factor": "Other information about your history on the platform",
      "score_below_cut_off": "Your history on the platform does not yet support this order",
      "score_in_review_band": "We need to check a few more things before approving this order",
      "limit_frozen": "Your limit is paused until overdue repayments are made",
      "over_available_credit": "This order is above the credit you have available",
      "over_spending_cap": "This order is above the spending cap you set for yourself",
      "debt_service_too_high": "Your repayments would be too high for your income",
      "product_not_eligible": "The payment option you chose is not available for this order"
    },
    "features": {
      "account_age_days": "Your account on the platform is new",
      "orders_last_year": "You have few orders on the platform",
      "return_rate": "Many of your orders were returned",
      "late_repayments": "You repaid late on the platform",
      "bureau_delinquencies": "Your credit report shows missed payments"
    },
    "missing_feature": "We did not have enough information about your history"
  },
  "challenger": {"share_bps": 1000, "seed": 42,
                 "cut_offs": {"approve_at_or_below": 0.04, "refer_at_or_below": 0.10}}
}
"""#
}
