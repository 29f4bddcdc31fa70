"""Write the demo seeds: synthetic customers, transactions, credit accounts and campaigns.

Deterministic: the same code and SEED give byte-identical CSV files (fixed-decimal
formatting, LF endings, stable sort), which tests/python/test_demo_data.py checks.

Behaviour comes from a latent customer type (champion, loyal, new, at risk, dormant,
occasional, never bought) and a latent credit type (revolver, transactor, cash-advance
user, inactive), so RFM and utilization features have real cluster structure, and
campaign responses depend on behaviour before each contact date (so a model can learn
them) with a modest age effect, and a preferred contact channel (a categorical profile
column). The files also carry, on purpose, the problems the
staging layer must handle: exact duplicates, missing and non-numeric amounts, unknown
and missing customers, zero amounts, missing or zero credit limits.

Usage: python scripts/generate_demo_data.py [--output-dir seeds/demo]
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 20261122
N_CUSTOMERS = 5000
START = date(2024, 1, 1)
DAYS = 731  # 2024-01-01 .. 2025-12-31
AS_OF = date(2026, 1, 1)
CAMPAIGNS = [
    ("CMP2024Q4", date(2024, 10, 15)),
    ("CMP2025Q2", date(2025, 5, 15)),
    ("CMP2025Q4", date(2025, 11, 15)),
]
CONTACT_SHARE = 0.4

# type: (share, mean age, orders per year, first active day, last active day, log order value)
CUSTOMER_TYPES = {
    "champion": (0.10, 45, 18.0, 0, DAYS, 4.8),
    "loyal": (0.20, 50, 8.0, 0, DAYS, 4.2),
    "new": (0.10, 32, 9.0, DAYS - 110, DAYS, 4.3),
    "at_risk": (0.15, 42, 9.0, 0, DAYS - 260, 4.3),
    "dormant": (0.15, 55, 3.0, 0, 250, 3.8),
    "occasional": (0.20, 38, 2.5, 0, DAYS, 3.6),
    "never": (0.10, 45, 0.0, 0, 0, 0.0),
}
CREDIT_TYPES = ["revolver", "transactor", "cash_advance", "inactive"]
MARITAL = (["Married", "Single", "Together", "Divorced", "Widowed"], [0.4, 0.3, 0.15, 0.1, 0.05])
# preferred contact channel, a categorical profile column: shares over (store, web, app,
# email, phone) by customer type; phone is rare (folded into 'other'), a few are blank
CHANNELS = ["store", "web", "app", "email", "phone"]
CHANNEL_SHARES = {
    "champion": [0.45, 0.25, 0.25, 0.045, 0.005],
    "loyal": [0.55, 0.2, 0.15, 0.095, 0.005],
    "new": [0.15, 0.35, 0.45, 0.045, 0.005],
    "at_risk": [0.3, 0.35, 0.2, 0.145, 0.005],
    "dormant": [0.3, 0.2, 0.05, 0.445, 0.005],
    "occasional": [0.2, 0.5, 0.2, 0.095, 0.005],
    "never": [0.1, 0.3, 0.1, 0.495, 0.005],
}

PROJECT_DIR = Path(__file__).resolve().parents[1]


@dataclass
class Customer:
    customer_id: str
    kind: str
    age: int
    income: float
    credit_kind: str | None


def money(value: float) -> str:
    return f"{value:.2f}"


def ratio(value: float) -> str:
    return f"{value:.6f}"


def make_customers(rng: np.random.Generator) -> tuple[list[Customer], list[list[str]]]:
    kinds = list(CUSTOMER_TYPES)
    shares = [CUSTOMER_TYPES[kind][0] for kind in kinds]
    # its own stream: the channel column leaves every other value of the files unchanged
    channel_rng = np.random.default_rng(SEED + 1)
    customers, rows = [], []
    for number in range(1, N_CUSTOMERS + 1):
        kind = kinds[rng.choice(len(kinds), p=shares)]
        age = int(np.clip(rng.normal(CUSTOMER_TYPES[kind][1], 12), 18, 85))
        income = float(np.exp(rng.normal(10.6 + 0.01 * min(age, 60), 0.45)))
        credit_kind = None
        if rng.random() < 0.8:
            weights = [0.3, 0.45 if kind in ("champion", "loyal") else 0.25, 0.15, 0.25]
            credit_kind = CREDIT_TYPES[rng.choice(4, p=np.array(weights) / sum(weights))]
        customer = Customer(f"C{number:05d}", kind, age, income, credit_kind)
        birth = AS_OF - timedelta(days=int(age * 365.25 + rng.integers(0, 365)))
        if kind == "new":
            signed_up = date(2025, 9, 1) + timedelta(days=int(rng.integers(0, 61)))
        else:
            signed_up = date(2019, 1, 1) + timedelta(days=int(rng.integers(0, 1826)))
        gender = "" if rng.random() < 0.01 else ("F" if rng.random() < 0.5 else "M")
        rows.append(
            [
                customer.customer_id,
                gender,
                birth.isoformat(),
                MARITAL[0][rng.choice(5, p=MARITAL[1])],
                "" if rng.random() < 0.01 else money(income),
                str(int(rng.integers(1, 7))),
                "true" if rng.random() < 0.8 else "false",
                signed_up.isoformat(),
                ""
                if channel_rng.random() < 0.02
                else CHANNELS[channel_rng.choice(5, p=CHANNEL_SHARES[kind])],
            ]
        )
        customers.append(customer)
    for index in (17, 2024, 4321):  # three exact duplicate lines
        rows.append(list(rows[index]))
    return customers, sorted(rows)


def make_orders(rng: np.random.Generator, customers: list[Customer]) -> list[tuple]:
    """(day, seconds, customer index, order value) for every purchase order."""
    orders = []
    for index, customer in enumerate(customers):
        _, _, per_year, first, last, log_value = CUSTOMER_TYPES[customer.kind]
        span = last - first
        for _ in range(int(rng.poisson(per_year * span / 365.0))):
            day = first + int(rng.integers(0, span))
            value = float(np.exp(rng.normal(log_value, 0.5)))
            orders.append((day, int(rng.integers(8 * 3600, 21 * 3600)), index, value))
    return sorted(orders)


def timestamp(day: int, seconds: int) -> str:
    moment = datetime.combine(START, datetime.min.time()) + timedelta(days=day, seconds=seconds)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def make_transactions(
    rng: np.random.Generator, customers: list[Customer], orders: list[tuple]
) -> list[list[str]]:
    rows = []
    for number, (day, seconds, index, value) in enumerate(orders, start=1):
        lines = int(rng.integers(1, 4))
        seen: set[tuple[int, float]] = set()
        for line, share in enumerate(rng.dirichlet(np.ones(lines)), start=1):
            quantity = int(rng.integers(1, 5))
            unit_price = round(max(value * share / quantity, 0.5), 2)
            while (quantity, unit_price) in seen:  # two equal lines would be exact duplicates
                unit_price = round(unit_price + 0.01, 2)
            seen.add((quantity, unit_price))
            row = [
                f"O{number:07d}",
                customers[index].customer_id,
                timestamp(day, seconds),
                str(quantity),
                money(unit_price),
                money(quantity * unit_price),
                "false",
            ]
            rows.append(row)
            if rng.random() < 0.02 and day + 20 < DAYS:  # a later refund of this line
                back = int(rng.integers(1, quantity + 1))
                rows.append(
                    [
                        f"R{number:07d}-{line}",
                        row[1],
                        timestamp(day + int(rng.integers(1, 20)), seconds),
                        str(-back),
                        row[4],
                        money(-back * unit_price),
                        "true",
                    ]
                )
    return rows


def inject_transaction_problems(rng: np.random.Generator, rows: list[list[str]]) -> None:
    picks = rng.choice(len(rows), size=60, replace=False)
    for position in picks[:25]:
        rows.append(list(rows[position]))
    for position in picks[25:35]:
        rows[position][5] = ""
    for position in picks[35:40]:
        rows[position][5] = "n/a"
    for position in picks[40:48]:
        rows[position][1] = ""
    for position in picks[48:54]:
        rows[position][4], rows[position][5] = "0.00", "0.00"
    for number in range(10):
        rows.append(
            [
                f"X{number:07d}",
                f"C99{number:03d}",
                timestamp(300 + number, 43200),
                "1",
                "9.99",
                "9.99",
                "false",
            ]
        )


def make_credit_accounts(rng: np.random.Generator, customers: list[Customer]) -> list[list[str]]:
    rows = []
    for customer in customers:
        if customer.credit_kind is None:
            continue
        kind = customer.credit_kind
        limit = float(np.clip(round(np.exp(rng.normal(8.4, 0.6)) / 50) * 50, 500, 30000))
        utilization = {
            "revolver": rng.uniform(0.5, 1.05),
            "transactor": rng.uniform(0, 0.2),
            "cash_advance": rng.uniform(0.3, 0.9),
            "inactive": rng.uniform(0, 0.1),
        }[kind]
        purchases = {
            "revolver": np.exp(rng.normal(6.5, 1.0)),
            "transactor": np.exp(rng.normal(7.8, 0.8)),
            "cash_advance": np.exp(rng.normal(4.5, 1.5)) * (rng.random() < 0.5),
            "inactive": np.exp(rng.normal(3.5, 1.0)) * (rng.random() < 0.3),
        }[kind]
        cash = (
            np.exp(rng.normal(7.5, 0.8))
            if kind == "cash_advance"
            else (np.exp(rng.normal(6.0, 1.0)) if rng.random() < 0.2 else 0.0)
        )
        oneoff = purchases * rng.uniform(0, 1)
        purchase_count = int(rng.poisson(purchases / 60.0))
        cash_count = int(rng.poisson(cash / 250.0))
        balance = limit * utilization
        full_payment = {
            "revolver": rng.beta(1, 9),
            "transactor": rng.beta(5, 2),
            "cash_advance": rng.beta(1, 6),
            "inactive": rng.beta(2, 3),
        }[kind]
        payments = balance * rng.uniform(0.1, 0.6) + purchases * full_payment
        minimum = balance * rng.uniform(0.02, 0.05) * 12
        tenure = 12 if rng.random() < 0.85 else int(rng.integers(6, 12))
        rows.append(
            [
                customer.customer_id,
                money(balance),
                ratio(rng.beta(8, 2)),
                money(purchases),
                money(oneoff),
                money(purchases - oneoff),
                money(cash),
                ratio(min(purchase_count / 12.0, 1.0)),
                ratio(min(purchase_count / 24.0, 1.0) if oneoff else 0.0),
                ratio(min(purchase_count / 20.0, 1.0) if purchases - oneoff > 0 else 0.0),
                ratio(min(cash_count / 12.0, 1.0)),
                str(cash_count),
                str(purchase_count),
                money(limit),
                money(payments),
                money(minimum),
                ratio(full_payment),
                str(tenure),
            ]
        )
    picks = rng.choice(len(rows), size=10 + len(rows) * 3 // 100, replace=False)
    for position in picks[:5]:
        rows[position][13] = ""
    for position in picks[5:10]:
        rows[position][13] = "0.00"
    for position in picks[10:]:
        rows[position][15] = ""
    return rows


def make_campaign_responses(
    rng: np.random.Generator, customers: list[Customer], orders: list[tuple]
) -> list[list[str]]:
    """Response depends on behaviour before each contact, plus a modest age effect."""
    order_days = [[] for _ in customers]
    for day, _, index, _ in orders:
        order_days[index].append(day)
    responded_before = np.zeros(len(customers), dtype=bool)
    rows = []
    for campaign_id, contacted in CAMPAIGNS:
        contact_day = (contacted - START).days
        for index in np.flatnonzero(rng.random(len(customers)) < CONTACT_SHARE):
            customer = customers[index]
            past = [day for day in order_days[index] if day < contact_day]
            recent_orders = sum(1 for day in past if day >= contact_day - 365)
            days_since = contact_day - max(past) if past else 999
            logit = (
                -5.0
                + 1.8 * (days_since < 60)
                + 0.8 * np.log1p(recent_orders)
                + 0.9 * np.log(customer.income / 40000.0)
                + 1.0 * (customer.credit_kind == "transactor")
                - 0.6 * (customer.credit_kind == "revolver")
                + 1.5 * responded_before[index]
                + 0.3 * (customer.age < 35)
                - 0.2 * (customer.age >= 65)
            )
            responded = rng.random() < 1.0 / (1.0 + np.exp(-logit))
            responded_before[index] |= responded
            rows.append(
                [
                    customer.customer_id,
                    campaign_id,
                    contacted.isoformat(),
                    "true" if responded else "false",
                ]
            )
    return rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main(output_dir: Path) -> None:
    rng = np.random.default_rng(SEED)
    output_dir.mkdir(parents=True, exist_ok=True)
    customers, customer_rows = make_customers(rng)
    orders = make_orders(rng, customers)
    transactions = make_transactions(rng, customers, orders)
    inject_transaction_problems(rng, transactions)
    credit_accounts = make_credit_accounts(rng, customers)
    responses = make_campaign_responses(rng, customers, orders)

    write(
        output_dir / "demo_customers.csv",
        [
            "customer_id",
            "gender",
            "birth_date",
            "marital_status",
            "annual_income",
            "household_size",
            "has_marketing_consent",
            "signed_up_date",
            "preferred_channel",
        ],
        customer_rows,
    )
    write(
        output_dir / "demo_transactions.csv",
        [
            "order_id",
            "customer_id",
            "transacted_at",
            "quantity",
            "unit_price",
            "amount",
            "is_refund",
        ],
        sorted(transactions),
    )
    write(
        output_dir / "demo_credit_accounts.csv",
        [
            "customer_id",
            "balance",
            "balance_frequency",
            "purchases",
            "oneoff_purchases",
            "installments_purchases",
            "cash_advance",
            "purchases_frequency",
            "oneoff_purchases_frequency",
            "purchases_installments_frequency",
            "cash_advance_frequency",
            "cash_advance_transactions",
            "purchase_transactions",
            "credit_limit",
            "payments",
            "minimum_payments",
            "full_payment_ratio",
            "tenure_months",
        ],
        credit_accounts,
    )
    write(
        output_dir / "demo_campaign_responses.csv",
        ["customer_id", "campaign_id", "contacted_at", "responded"],
        sorted(responses, key=lambda row: (row[1], row[0])),
    )
    sys.stderr.write(
        f"wrote {len(customer_rows)} customers, {len(transactions)} transaction lines, "
        f"{len(credit_accounts)} credit accounts, {len(responses)} campaign contacts "
        f"to {output_dir}\n"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=PROJECT_DIR / "seeds" / "demo")
    main(parser.parse_args().output_dir)
