#!/usr/bin/env python3
"""Independent check of the China IRR annualised rate (PBOC announcement 2021 No. 3) for the commonly cited
12-installment example: 12,000 CNY borrowed, repaid in 12 monthly installments of 1,000 principal plus a fee of
`fee_rate` x 12,000 each month. The monthly IRR r comes from numpy_financial.irr; the compound annual rate is
(1 + r)^12 - 1 and the simple (labelled) rate r x 12, printed in percent to 4 decimals.

NOTE: these are computed here, not copied from the announcement; the official text's published figure must still
be checked against them. Run:  python3 tools/pboc_irr_check.py
"""

from decimal import Decimal

import numpy_financial as npf

for fee_rate in ["0.005", "0.006", "0.0075"]:
    payment = 1000 + 12000 * float(fee_rate)
    r = float(npf.irr([-12000.0] + [payment] * 12))
    compound = (1 + r) ** 12 - 1
    print(f"fee {Decimal(fee_rate) * 100}%/month: payment {payment:.2f}, monthly IRR {r * 100:.6f}%, "
          f"compound {compound * 100:.4f}%, simple {r * 12 * 100:.4f}%")
