#!/usr/bin/env python3
"""Known-answer fixtures for the Swift scorecard tests (PaylaterUnderwriting).

Writes into Tests/PaylaterUnderwritingTests/Fixtures/scorecard/:
  logistic.csv            x1,x2,x3,bad  -- 300 seeded rows
  logistic_expected.json  scikit-learn LogisticRegression(C=0.5, lbfgs, tol=1e-14) intercept and coefficients
  auc.csv                 probability,bad -- 200 seeded rows, probabilities rounded to 2 decimals (ties)
  auc_expected.json       roc_auc_score of auc.csv

Requires: pip install -r tools/requirements-scorecard.txt
Run from the repository root: python3 tools/scorecard_fixtures.py
"""
import json
import os

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

OUT = os.path.join("Tests", "PaylaterUnderwritingTests", "Fixtures", "scorecard")


def logistic_fixture(rng):
    n = 300
    x = rng.normal(size=(n, 3)) * np.array([1.0, 0.5, 2.0]) + np.array([0.0, 1.0, -0.5])
    x = np.round(x, 4)  # the CSV holds exactly these values
    eta = -1.0 + 0.8 * x[:, 0] - 1.2 * x[:, 1] + 0.3 * x[:, 2]
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(int)
    c = 0.5
    model = LogisticRegression(C=c, solver="lbfgs", tol=1e-14, max_iter=100000).fit(x, y)
    # Check that lbfgs really stopped at the optimum: the penalised gradient must be ~0.
    p = model.predict_proba(x)[:, 1]
    grad_w = x.T @ (p - y) + model.coef_[0] / c
    grad_b = np.sum(p - y)
    assert max(abs(grad_w).max(), abs(grad_b)) < 1e-7, (grad_w, grad_b)
    with open(os.path.join(OUT, "logistic.csv"), "w") as f:
        f.write("x1,x2,x3,bad\n")
        for row, label in zip(x, y):
            f.write(",".join(f"{v:.4f}" for v in row) + f",{label}\n")
    with open(os.path.join(OUT, "logistic_expected.json"), "w") as f:
        json.dump({"C": c, "l2_penalty": 1 / c, "intercept": float(model.intercept_[0]),
                   "coefficients": [float(v) for v in model.coef_[0]]}, f, indent=2, sort_keys=True)
        f.write("\n")


def auc_fixture(rng):
    n = 200
    y = (rng.uniform(size=n) < 0.3).astype(int)
    p = np.clip(np.round(0.3 + 0.2 * y + rng.normal(scale=0.2, size=n), 2), 0.0, 1.0)
    with open(os.path.join(OUT, "auc.csv"), "w") as f:
        f.write("probability,bad\n")
        for prob, label in zip(p, y):
            f.write(f"{prob:.2f},{label}\n")
    with open(os.path.join(OUT, "auc_expected.json"), "w") as f:
        json.dump({"auc": float(roc_auc_score(y, p))}, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261124)
    logistic_fixture(rng)
    auc_fixture(rng)
