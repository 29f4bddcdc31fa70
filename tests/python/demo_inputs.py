"""The demo seeds as CSV inputs, and a changed copy of them, for the lifecycle tests that
build on data of their own (files mode)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from dbt_runner import PROJECT_DIR

DEMO = PROJECT_DIR / "seeds" / "demo"


def read_demo(name: str) -> pd.DataFrame:
    """A demo seed as text, exactly as the CSV holds it."""
    return pd.read_csv(DEMO / f"demo_{name}.csv", dtype=str, keep_default_na=False)


def write_inputs(folder: Path, tables: dict[str, pd.DataFrame]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        table.to_csv(folder / f"{name}.csv", index=False)


def changed_customers(
    tables: dict[str, pd.DataFrame], gone: int, cloned: int, income_factor: float
) -> dict[str, pd.DataFrame]:
    """``gone`` customers removed, ``cloned`` copied under new ids (with their
    transactions and accounts), every annual income times ``income_factor``; the same
    customers for the same counts (fixed seed)."""
    rng = np.random.default_rng(6)
    ids = tables["customers"]["customer_id"].to_numpy()
    picked = rng.choice(ids, size=gone + cloned, replace=False)
    removed, copied = set(picked[:gone]), set(picked[gone:])
    changed = {}
    for name, table in tables.items():
        kept = table.loc[~table["customer_id"].isin(removed)]
        clones = table.loc[table["customer_id"].isin(copied)].copy()
        clones["customer_id"] = "N" + clones["customer_id"]
        if "order_id" in clones:
            clones["order_id"] = "N" + clones["order_id"]
        changed[name] = pd.concat([kept, clones], ignore_index=True)
    customers = changed["customers"]
    income = pd.to_numeric(customers["annual_income"], errors="coerce") * income_factor
    customers["annual_income"] = income.map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
    return changed
