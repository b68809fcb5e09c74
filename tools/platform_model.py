"""Makes the example platform model: a seeded synthetic population of shoppers with platform features and a
repayment outcome, written to config/platform-sample.csv, which `paylater model train` turns into
config/model.example.json (the model `paylater serve` uses unless given another).

The data is synthetic: it exists so that a fresh install decides with a real scorecard on the platform's own feature
names. Train a production model on your own repayment history.

    python3 tools/platform_model.py
    paylater model train --csv config/platform-sample.csv --target outcome --bad defaulted \
        --name platform-example --version 1 --out config/model.example.json
"""
import csv
import math
import random

random.seed(20261124)
ROWS = 5000

with open("config/platform-sample.csv", "w", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["account_age_days", "orders_last_year", "return_rate", "late_repayments", "bureau_delinquencies", "outcome"])
    for _ in range(ROWS):
        age = int(random.expovariate(1 / 400))
        orders = int(random.expovariate(1 / 12))
        returns = round(min(1.0, random.betavariate(1.2, 8)), 3)
        late = int(random.expovariate(1 / 0.6))
        bureau = "" if random.random() < 0.3 else int(random.expovariate(1 / 0.4))
        logit = -1.2 - 0.004 * min(age, 900) - 0.05 * min(orders, 40) + 3.0 * returns + 0.7 * late
        logit += 0.8 * (bureau if bureau != "" else 0.5)
        bad = random.random() < 1 / (1 + math.exp(-logit))
        writer.writerow([age, orders, returns, late, bureau, "defaulted" if bad else "repaid"])
