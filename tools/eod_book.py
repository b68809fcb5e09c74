#!/usr/bin/env python3
"""Builds a book for the end-of-day benchmark (scripts/bench_eod, docs/BENCHMARKS.md) through the public HTTP API
and the CLI only, with "now" set by libfaketime (tools/faketime_clock.py: the CLI has no clock override).

    python3 tools/eod_book.py --data-dir DIR [--shoppers-per-week N] [--threads N] [--seed S] [--paylater BIN]
    DATABASE_URL=postgres://... python3 tools/eod_book.py [...]      # PostgreSQL instead of SQLite

The store must be new (empty). Every server and CLI command runs from the repository root, so the example
catalog, policy and model in config/ apply (catalog time zone Asia/Shanghai: 02:00Z is 10:00 there).

1. 2026-10-01: a large CNY funding capacity and --merchants (32) merchants.
2. Six weekly cohorts, each a fresh `paylater serve` under faketime at 10:00 Shanghai of 2026-10-05, -12, -19, -26,
   11-02 and 11-09: --shoppers-per-week (200) new shoppers each, who buy (checkout, authorize, capture) with this mix:
   30% pay-in-4; 20% two monthly-bill purchases (one statement); 10% a monthly-bill purchase and a pay-in-4;
   10% financing-12; 10% monthly-split-6; 15% try-then-pay (half of them with a delivery confirmation that day);
   5% authorized and never captured (the authorization expires).
3. 2026-11-05 (between the cohorts of 11-02 and 11-09): 20% of the shoppers with a monthly-bill statement due by
   11-12 (October's, due 11-10) split it (3, 6 or 12 months).
4. 2026-11-12: 65% of the shoppers pay: 58% everything due by then (installments, and statements not split), 7%
   their plans off (and their statements); 35% pay nothing and are late. No later payment is made, so the end of day of
   11-12 and after finds weeks of arrears, and installments falling due after 11-12 go late.

Shopper tokens come from `paylater consumer token` (run before each session's server starts). Deterministic given
--seed: the same shoppers, products, amounts, merchants and behaviour (the ids the platform assigns differ; and
which lapsed authorizations a server's background pass records as expired before the end of day does depends on
how long each session ran: `eod`'s "orders expired" varies with the size of the book and the host). Prints
a line per phase and, at the end, the count of each outcome; exits 1 if any request answered 5xx or an outcome
other than the expected ones (a decline, say) was seen, after finishing the book.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import faketime_clock

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETUP_DAY = "2026-10-01"
WEEKS = ["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"]
SPLIT_DAY = "2026-11-05"
PAY_DAY = "2026-11-12"
SESSION_HOUR = "02:00:00"  # 10:00 in the example catalog's Asia/Shanghai
CURRENCY = "CNY"


class Book:
    def __init__(self, options):
        self.options = options
        self.paylater = os.path.abspath(options.paylater)
        database = os.environ.get("DATABASE_URL")
        if database:
            self.store = ["--database", database]
        elif options.data_dir:
            self.store = ["--data-dir", os.path.abspath(options.data_dir)]
        else:
            raise SystemExit("eod_book: --data-dir DIR or DATABASE_URL is needed")
        self.log_dir = os.path.abspath(options.log_dir or (options.data_dir and os.path.dirname(
            os.path.abspath(options.data_dir))) or ".")
        self.outcomes = {}
        self.outcomes_lock = threading.Lock()
        self.local = threading.local()
        self.url = None
        self.split = None  # shopper: the statement due dates they split

    # Outcomes and time.

    def count(self, outcome, n=1):
        with self.outcomes_lock:
            self.outcomes[outcome] = self.outcomes.get(outcome, 0) + n

    def at(self, day, *command):
        """A paylater command line under faketime at 10:00 Shanghai of `day`."""
        return faketime_clock.command(f"{day} {SESSION_HOUR}", [self.paylater, *command, *self.store])

    def cli(self, day, *command):
        done = faketime_clock.run(f"{day} {SESSION_HOUR}", [self.paylater, *command, *self.store], cwd=REPOSITORY)
        if done.returncode != 0:
            raise SystemExit(f"eod_book: {' '.join(command)} at {day} exited with {done.returncode}: {done.stderr}")
        return done.stdout

    # The server of one session.

    def start_server(self, day):
        for attempt in range(10):  # faketime's wrapper may fail at once (tools/faketime_clock.py): try again
            self.server_out = open(os.path.join(self.log_dir, "serve.out"), "w")
            self.server_err = open(os.path.join(self.log_dir, "serve.err"), "a")  # the access log, all sessions
            errors_from = self.server_err.tell()
            self.server = subprocess.Popen(self.at(day, "serve", "--port", "0"), cwd=REPOSITORY,
                                           env=faketime_clock.environment(), stdout=self.server_out,
                                           stderr=self.server_err)
            for _ in range(600):
                with open(self.server_out.name) as out:
                    found = re.search(r"^listening on http://(\S+):(\d+)$", out.read(), re.MULTILINE)
                if found:
                    self.url = (found.group(1), int(found.group(2)))
                    self.local = threading.local()  # connections of an earlier server are closed
                    return
                if self.server.poll() is not None:
                    break
                time.sleep(0.1)
            self.server_out.close()
            self.server_err.close()
            with open(self.server_err.name) as errors:
                errors.seek(errors_from)
                if faketime_clock.WRAPPER_FAILED not in errors.read():
                    break
        raise SystemExit(f"eod_book: the server of {day} did not start (see {self.server_err.name})")

    def stop_server(self):
        # faketime forks and waits for paylater without passing signals on: stop its child, then wait for both.
        children = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True).stdout.split()
        for child in children:
            os.kill(int(child), signal.SIGTERM)
        if self.server.wait(timeout=60) != 0:
            raise SystemExit(f"eod_book: the server exited with {self.server.returncode} (see {self.server_err.name})")
        self.server_out.close()
        self.server_err.close()

    def session(self, day, what, items, work):
        self.start_server(day)
        started = time.monotonic()
        try:
            with ThreadPoolExecutor(self.options.threads) as pool:
                results = list(pool.map(work, items))
        finally:
            self.stop_server()
        print(f"{day} {what}: {len(items)} shoppers in {time.monotonic() - started:.1f} s", flush=True)
        return results

    # Requests.

    def call(self, method, path, bearer, body=None, key=None):
        """One request on this thread's keep-alive connection; retries what the API asks to retry (429 rate
        limited, 503 busy, 409 a request with the same key still in flight) under the same Idempotency-Key."""
        headers = {"Authorization": "Bearer " + bearer}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
            headers["Idempotency-Key"] = key
        for attempt in range(20):
            connection = getattr(self.local, "connection", None)
            if connection is None:
                connection = self.local.connection = http.client.HTTPConnection(*self.url, timeout=60)
            try:
                connection.request(method, path, payload, headers)
                response = connection.getresponse()
                text = response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                connection.close()
                self.local.connection = None
                time.sleep(0.2)
                continue
            if response.status in (429, 503) or (response.status == 409 and re.search(
                    rb'"type": *"[^"]*/(idempotency-in-flight|conflict)"', text)):
                time.sleep(0.2 * (attempt + 1))
                continue
            if response.status >= 500:
                self.count(f"unexpected: {method} {re.sub(r'/[^/]*[0-9][^/]*', '/{id}', path)} {response.status}")
            return response.status, (json.loads(text) if text else None)
        raise RuntimeError(f"{method} {path}: no answer after 20 attempts")

    def purchase(self, shopper, merchant, product, amount, reference, capture=True, delivered_on=None):
        """Checkout, authorize and (unless capture is False) capture one purchase; the plan, or None."""
        merchant_id, api_key = merchant
        money = {"amount": amount, "currency": CURRENCY}
        status, checkout = self.call("POST", "/v1/checkouts", api_key, {
            "merchant_reference": reference, "shopper_reference": shopper, "total": money,
            "lines": [{"name": "item", "quantity": 1, "unit_price": money}]}, "checkout-" + reference)
        if status != 201:
            self.count(f"unexpected: checkout {status}")
            return None
        offer = next((o for o in checkout["offers"] if o["product_id"] == product), None)
        if offer is None:
            self.count(f"unexpected: {product} not offered")
            return None
        status, decision = self.call("POST", f"/v1/checkouts/{checkout['id']}/authorize", api_key, {
            "product_id": product, "device_id": "device-" + shopper, "shipping_address": "address-" + shopper,
            "payment_instrument": "card-" + shopper, "age_years": 35, "identity_verified": True,
            "features": {"account_age_days": 700, "orders_last_year": 12, "return_rate": 0.01,
                         "late_repayments": 0, "bureau_delinquencies": 0}}, "authorize-" + reference)
        if status != 200 or decision.get("decision") != "approved":
            self.count(f"unexpected: authorize {status} {decision.get('decision', '') if decision else ''} {product}")
            return None
        order = decision["order"]["id"]
        if not capture:
            self.count("authorized, never captured")
            return None
        status, captured = self.call("POST", f"/v1/orders/{order}/captures", api_key, {}, "capture-" + reference)
        if status not in (200, 201):
            self.count(f"unexpected: capture {status}")
            return None
        self.count("plans " + product)
        if delivered_on:
            status, _ = self.call("POST", f"/v1/orders/{order}/delivery", api_key, {"delivered_on": delivered_on},
                                  "delivery-" + reference)
            self.count("delivery confirmed" if status == 200 else f"unexpected: delivery {status}")
        return {"shopper": shopper, "product": product, "plan": captured["captures"][0]["plan_id"],
                "schedule": [(i["due_date"], i["amount"]["amount"]) for i in offer["installments"]]}

    def rng(self, *what):
        return random.Random("/".join(str(w) for w in (self.options.seed, *what)))

    def shopper(self, week, n):
        """One new shopper of a weekly cohort, and their purchases: a list of plans."""
        shopper = f"w{week}-{n:06d}"
        r = self.rng(shopper)
        merchants = self.merchants
        first, second = merchants[r.randrange(len(merchants))], merchants[r.randrange(len(merchants))]
        kind = r.random()
        if kind < 0.30:
            purchases = [("pay-in-4", r.randrange(5_000, 100_000), first)]
        elif kind < 0.50:
            purchases = [("monthly-bill", r.randrange(2_000, 50_000), first),
                         ("monthly-bill", r.randrange(2_000, 40_000), second)]
        elif kind < 0.60:
            purchases = [("monthly-bill", r.randrange(2_000, 50_000), first),
                         ("pay-in-4", r.randrange(5_000, 50_000), second)]
        elif kind < 0.70:
            purchases = [("financing-12", r.randrange(50_000, 100_000), first)]
        elif kind < 0.80:
            purchases = [("monthly-split-6", r.randrange(1_000, 100_000), first)]
        elif kind < 0.95:
            delivered_on = WEEKS[week] if r.random() < 0.5 else None
            plan = self.purchase(shopper, first, "try-then-pay", r.randrange(1_000, 100_000), shopper + "-a",
                                 delivered_on=delivered_on)
            return [plan] if plan else []
        else:
            self.purchase(shopper, first, "pay-in-4", r.randrange(5_000, 100_000), shopper + "-a", capture=False)
            return []
        plans = [self.purchase(shopper, merchant, product, amount, f"{shopper}-{'ab'[i]}")
                 for i, (product, amount, merchant) in enumerate(purchases)]
        return [p for p in plans if p]

    @staticmethod
    def statements_due(plans):
        """The due dates of the shopper's monthly-bill statements falling due by the pay day, with what is owed."""
        owed = {}
        for plan in plans:
            if plan["product"] == "monthly-bill":
                due, amount = plan["schedule"][0]
                if due <= PAY_DAY:
                    owed[due] = owed.get(due, 0) + amount
        return owed

    def key(self, *what):
        return hashlib.sha256("/".join(what).encode()).hexdigest()[:40]

    def splits(self, shopper_plans):
        """The split session of one shopper (if they split): the due dates split."""
        shopper, plans = shopper_plans
        token = self.tokens[shopper]
        r = self.rng(shopper, "split months")
        split = []
        for due in sorted(self.statements_due(plans)):
            status, _ = self.call("POST", f"/v1/me/statements/{due}/split", token, {"months": r.choice([3, 6, 12])},
                                  self.key("split", shopper, due))
            self.count("statements split" if status in (200, 201) else f"unexpected: statement split {status}")
            if status in (200, 201):
                split.append(due)
        return shopper, split

    def payments(self, shopper_plans):
        """The payment session of one shopper who pays: what is due by the pay day, or a payoff of each plan."""
        shopper, plans = shopper_plans
        token = self.tokens[shopper]
        pays_off = self.rng(shopper, "pay").random() < 0.07  # of the 65% below 0.65 (Book.build)
        for plan in plans:
            if plan["product"] == "monthly-bill":
                continue
            if pays_off:
                status, _ = self.call("POST", "/v1/me/payments", token, {"plan_id": plan["plan"], "pay_off": True},
                                      self.key("payoff", plan["plan"]))
                self.count("plans paid off" if status in (200, 201) else f"unexpected: payoff {status}")
                continue
            owed = sum(amount for due, amount in plan["schedule"] if due <= PAY_DAY)
            if owed:
                status, _ = self.call("POST", "/v1/me/payments", token, {
                    "plan_id": plan["plan"], "amount": {"amount": owed, "currency": CURRENCY}},
                    self.key("payment", plan["plan"]))
                self.count("payments" if status in (200, 201) else f"unexpected: payment {status}")
        for due, owed in sorted(self.statements_due(plans).items()):
            if due in self.split.get(shopper, ()):
                continue
            status, _ = self.call("POST", f"/v1/me/statements/{due}/payments", token, {
                "amount": {"amount": owed, "currency": CURRENCY}}, self.key("statement", shopper, due))
            self.count("statement payments" if status in (200, 201) else f"unexpected: statement payment {status}")

    def mint_tokens(self, day, shoppers):
        """Self-service tokens from the CLI (a process each, a few at once), before the session's server starts."""
        def token(shopper):
            return shopper, self.cli(day, "consumer", "token", "--consumer", shopper, "--hours", "24").strip()
        with ThreadPoolExecutor(min(self.options.threads, os.cpu_count() or 2)) as pool:
            self.tokens = dict(pool.map(token, shoppers))

    # The book.

    def split_session(self, plans):
        splitting = [(s, p) for s, p in plans.items()
                     if self.statements_due(p) and self.rng(s, "split").random() < 0.2]
        self.mint_tokens(SPLIT_DAY, [s for s, _ in splitting])
        self.split = dict(self.session(SPLIT_DAY, "statement splits", splitting, self.splits))

    def build(self):
        started = time.monotonic()
        self.cli(SETUP_DAY, "capacity", "set", "--amount", "100000000000.00", "--currency", CURRENCY)
        self.merchants = []
        for i in range(self.options.merchants):
            text = self.cli(SETUP_DAY, "merchant", "create", "--name", f"eod-bench-{i + 1}")
            fields = dict(line.split(None, 1) for line in text.splitlines() if line.startswith("merchant "))
            key = re.search(r"^api key\s+(\S+)", text, re.MULTILINE).group(1)
            self.merchants.append((fields["merchant"].strip(), key))
        print(f"{SETUP_DAY} setup: funding capacity, {len(self.merchants)} merchants", flush=True)

        plans = {}
        for week, day in enumerate(WEEKS):
            if day > SPLIT_DAY and self.split is None:  # the sessions run in the order of their dates
                self.split_session(plans)
            cohort = range(self.options.shoppers_per_week)
            bought = self.session(day, "purchases", cohort, lambda n: self.shopper(week, n))
            for n, shopper_plans in zip(cohort, bought):
                if shopper_plans:
                    plans[f"w{week}-{n:06d}"] = shopper_plans

        paying = [(s, p) for s, p in plans.items() if self.rng(s, "pay").random() < 0.65]
        self.count("shoppers paying nothing (late)", len(plans) - len(paying))
        self.mint_tokens(PAY_DAY, [s for s, _ in paying])
        self.session(PAY_DAY, "payments", paying, self.payments)

        total = sum(len(p) for p in plans.values())
        print(f"book: {total} plans of {len(plans)} shoppers in {time.monotonic() - started:.1f} s; "
              + ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())), flush=True)
        unexpected = sum(v for k, v in self.outcomes.items() if k.startswith("unexpected"))
        if unexpected:
            print(f"eod_book: {unexpected} unexpected outcomes (above); access log: "
                  f"{os.path.join(self.log_dir, 'serve.err')}", file=sys.stderr)
            return 1
        return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", help="the SQLite data directory (new); DATABASE_URL picks PostgreSQL instead")
    parser.add_argument("--shoppers-per-week", type=int, default=200, help="new shoppers in each of six cohorts")
    parser.add_argument("--threads", type=int, default=8, help="client threads (keep-alive connections)")
    parser.add_argument("--seed", default="1", help="the book's seed (default 1)")
    parser.add_argument("--merchants", type=int, default=32)
    parser.add_argument("--paylater", default=os.environ.get("PAYLATER", ".build/release/paylater"))
    parser.add_argument("--log-dir", help="where serve.out and serve.err go (default: beside the data directory)")
    return Book(parser.parse_args()).build()


if __name__ == "__main__":
    sys.exit(main())
