#!/usr/bin/env python3
"""Writes the LightGBM fixtures that the Swift tree importer is tested against.

Trains small binary LightGBM models on a seeded, synthetic credit-like data set and saves, under
Tests/PaylaterUnderwritingTests/Fixtures/lightgbm/:

  model.txt            500 trees, 7 leaves each: missing values handled as NaN (the default); the benchmark model
  model_zero.txt       60 trees, zero_as_missing=True: splits whose missing type is Zero
  model_nomissing.txt  40 trees, use_missing=False: splits whose missing type is None (NaN is read as 0)
  inputs.csv           rows to score: held-out rows plus edge cases (missing cells, values exactly on thresholds,
                       tiny and signed zeros, unseen, negative, fractional and huge category codes)
  expected.csv         LightGBM's own predict(raw_score=True) and predict() for every row and model, printed with
                       repr() (shortest round-trip, so every double is exact)

Run from the repository root:  python tools/lightgbm_fixture.py
Dependencies: tools/requirements-lightgbm.txt. Only this script needs Python; the product never does.
"""

import csv
import os
import re

import lightgbm as lgb
import numpy as np

SEED = 20261124
OUT = os.path.join("Tests", "PaylaterUnderwritingTests", "Fixtures", "lightgbm")

NUMERIC = [
    "income_monthly",
    "debt_to_income",
    "age_years",
    "months_at_address",
    "late_payments_12m",
    "utilization",
    "order_amount",
    "credit_history_months",
]
CATEGORICAL = ["merchant_category", "device_type", "region"]
FEATURES = NUMERIC + CATEGORICAL


def synthesize(rng, n):
    """A credit-like table: skewed incomes, ratios, counts full of zeros, and three coded categories."""
    x = np.empty((n, len(FEATURES)))
    x[:, 0] = np.round(rng.lognormal(8.0, 0.6, n), 2)
    x[:, 1] = np.round(rng.beta(2, 5, n) * 1.2, 4)
    x[:, 2] = rng.integers(18, 80, n)
    x[:, 3] = rng.integers(0, 240, n)
    x[:, 4] = rng.poisson(0.4, n)
    x[:, 5] = np.round(rng.uniform(0, 1.3, n), 3)
    x[:, 5][rng.uniform(size=n) < 0.15] = 0.0
    x[:, 6] = np.round(rng.gamma(2.0, 150.0, n), 2)
    x[:, 7] = rng.integers(0, 400, n)
    x[:, 8] = rng.integers(0, 12, n)
    x[:, 9] = rng.integers(0, 4, n)
    x[:, 10] = rng.integers(0, 25, n)
    logit = (
        -2.0
        - 0.6 * (np.log(x[:, 0]) - 8.0)
        + 2.5 * (x[:, 1] - 0.35)
        - 0.02 * (x[:, 2] - 40)
        + 0.7 * x[:, 4]
        + 1.2 * (x[:, 5] - 0.5)
        + 0.001 * (x[:, 6] - 300)
        - 0.003 * (x[:, 7] - 200)
        + np.where(np.isin(x[:, 8], [2, 5, 7]), 0.8, -0.2)
        + np.where(x[:, 9] == 3, 0.5, 0.0)
        + 0.04 * (x[:, 10] % 5)
    )
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int)
    for column, rate in [(0, 0.10), (1, 0.05), (3, 0.08), (5, 0.07), (7, 0.04), (10, 0.05)]:
        x[rng.uniform(size=n) < rate, column] = np.nan
    return x, y


def train(x, y, trees, leaves, **extra):
    params = dict(
        objective="binary",
        num_leaves=leaves,
        learning_rate=0.05,
        min_data_in_leaf=20,
        min_data_per_group=20,
        cat_smooth=5,
        max_cat_to_onehot=4,
        feature_fraction=0.9,
        bagging_fraction=0.8,
        bagging_freq=1,
        seed=SEED,
        deterministic=True,
        num_threads=1,
        verbose=-1,
        **extra,
    )
    data = lgb.Dataset(x, label=y, feature_name=FEATURES, categorical_feature=CATEGORICAL, free_raw_data=False)
    return lgb.train(params, data, num_boost_round=trees)


def numeric_thresholds(model_text):
    """(feature index, threshold) of every numerical split, read from the saved text."""
    pairs = []
    for block in model_text.split("Tree=")[1:]:
        fields = dict(line.split("=", 1) for line in block.splitlines()[1:] if "=" in line)
        if not fields.get("split_feature"):
            continue
        features = [int(v) for v in fields["split_feature"].split()]
        thresholds = [float(v) for v in fields["threshold"].split()]
        kinds = [int(v) for v in fields["decision_type"].split()]
        pairs += [(f, t) for f, t, k in zip(features, thresholds, kinds) if not k & 1]
    return pairs


def edge_rows(rng, base, thresholds):
    """Rows that sit on the boundaries where an importer could go wrong."""
    rows = []
    for feature, threshold in thresholds[:: max(1, len(thresholds) // 80)]:
        row = base[rng.integers(len(base))].copy()
        row[feature] = threshold  # exactly on the threshold: LightGBM sends it left (value <= threshold)
        rows.append(row)
    specials = {
        5: [0.0, -0.0, 1e-40, -1e-40, 1e-35, -1e-35, 2e-35, np.nan],
        4: [0.0, np.nan, 1e-300],
        0: [np.nan, 0.0, -5.0, 1e9],
        8: [np.nan, -1.0, -3.0, 50.0, 1000.0, 2.7, -0.5, 1e10, 0.0, 31.0, 32.0, 33.0],
        9: [np.nan, -2.0, 4.0, 3.0, 0.0, 3.9],
        10: [np.nan, -1.0, 25.0, 99.0, 24.0],
    }
    for feature, values in specials.items():
        for value in values:
            row = base[rng.integers(len(base))].copy()
            row[feature] = value
            rows.append(row)
    all_missing = np.full(len(FEATURES), np.nan)
    rows.append(all_missing)
    rows.append(np.zeros(len(FEATURES)))
    return rows


def cell(value):
    return "" if np.isnan(value) else repr(float(value))


def main():
    rng = np.random.default_rng(SEED)
    x, y = synthesize(rng, 4000)
    models = {
        "model.txt": train(x, y, 500, 7),
        "model_zero.txt": train(x, y, 60, 15, zero_as_missing=True),
        "model_nomissing.txt": train(x, y, 40, 15, use_missing=False),
    }
    os.makedirs(OUT, exist_ok=True)
    texts = {}
    for name, booster in models.items():
        booster.save_model(os.path.join(OUT, name))
        with open(os.path.join(OUT, name)) as handle:
            texts[name] = handle.read()

    holdout, _ = synthesize(np.random.default_rng(SEED + 1), 300)
    thresholds = [pair for text in texts.values() for pair in numeric_thresholds(text)]
    inputs = np.vstack([holdout] + edge_rows(rng, holdout, thresholds))

    with open(os.path.join(OUT, "inputs.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id"] + FEATURES)
        for index, row in enumerate(inputs):
            writer.writerow([index] + [cell(v) for v in row])

    columns = {}
    for name, booster in models.items():
        stem = re.sub(r"\.txt$", "", name)
        columns["raw_" + stem] = booster.predict(inputs, raw_score=True)
        columns["probability_" + stem] = booster.predict(inputs)
    with open(os.path.join(OUT, "expected.csv"), "w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["id"] + list(columns))
        for index in range(len(inputs)):
            writer.writerow([index] + [repr(float(columns[c][index])) for c in columns])

    for name in list(texts) + ["inputs.csv", "expected.csv"]:
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")
    print(f"lightgbm {lgb.__version__}, {len(inputs)} rows")


if __name__ == "__main__":
    main()
