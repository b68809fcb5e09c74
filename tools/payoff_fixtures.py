#!/usr/bin/env python3
"""Known answers for Tests/PaylaterProductsTests/Payoff/PayoffTests.swift, computed independently of the Swift code.

The schedule is tools/schedule_fixtures.py's equal-installment schedule (numpy_financial.pmt, interest rounded
half-even with the decimal module). The actuarial payoff: interest of installments due on or before the payoff day
is earned; the current period's interest is balance x monthly_rate x 12 x days / 365 (Actual/365), rounded
half-even once and capped at the scheduled interest; later interest is rebated. Payments pay an installment in full.

Run from the repository root:  python3 tools/payoff_fixtures.py
"""

import datetime
import decimal

from schedule_fixtures import HALF_EVEN, add_months, equal_installments, round_half_even

CASES = [
    # name, principal (minor units), monthly rate, months, capture date, payoff date, installments paid
    ("10,000.00 at 1% from 2024-01-31, payoff 2024-02-15", 1_000_000, "0.01", 12, "2024-01-31", "2024-02-15", 0),
    ("... payoff on the leap-day due date 2024-02-29", 1_000_000, "0.01", 12, "2024-01-31", "2024-02-29", 0),
    ("... payoff 2024-03-15 after installment 1 paid", 1_000_000, "0.01", 12, "2024-01-31", "2024-03-15", 1),
    ("... payoff 2024-05-01 after 3 paid (Apr 30 due)", 1_000_000, "0.01", 12, "2024-01-31", "2024-05-01", 3),
    ("... payoff the day after capture", 1_000_000, "0.01", 12, "2024-01-31", "2024-02-01", 0),
]


def payoff(principal, rate_text, months, start_text, date_text, paid_count):
    rate = decimal.Decimal(rate_text)
    _, rows = equal_installments(principal, rate, months)
    start = datetime.date.fromisoformat(start_text)
    date = datetime.date.fromisoformat(date_text)
    dues = [add_months(start, k + 1) for k in range(months)]
    outstanding = sum(p for p, _ in rows[paid_count:])
    earned = 0
    unpaid_interest = sum(i for _, i in rows[paid_count:])
    for index in range(paid_count, months):
        p, i = rows[index]
        period_start = start if index == 0 else dues[index - 1]
        if dues[index] <= date:
            earned += i
        elif period_start < date and (index == 0 or dues[index - 1] <= date):
            balance = sum(pp for pp, _ in rows[index:])
            days = (date - period_start).days
            accrued = round_half_even(HALF_EVEN.divide(
                HALF_EVEN.multiply(decimal.Decimal(balance * 12 * days), rate), decimal.Decimal(365)))
            earned += min(accrued, i)
    return outstanding, earned, unpaid_interest - earned, outstanding + earned


if __name__ == "__main__":
    for name, *args in CASES:
        outstanding, earned, rebate, amount = payoff(*args)
        print(f"{name}: principal {outstanding} earned {earned} rebate {rebate} amount {amount}")
