"""The committed demo seeds are exactly what the generator writes, and carry the
problems the staging layer is there to handle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from dbt_runner import PROJECT_DIR

SEEDS_DIR = PROJECT_DIR / "seeds" / "demo"
FILES = [
    "demo_customers.csv",
    "demo_transactions.csv",
    "demo_credit_accounts.csv",
    "demo_campaign_responses.csv",
]


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output_dir = tmp_path_factory.mktemp("demo_seeds")
    subprocess.run(
        [
            sys.executable,
            str(PROJECT_DIR / "scripts" / "generate_demo_data.py"),
            "--output-dir",
            str(output_dir),
        ],
        check=True,
        capture_output=True,
    )
    return output_dir


@pytest.mark.parametrize("name", FILES)
def test_regenerated_seed_is_byte_identical(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (SEEDS_DIR / name).read_bytes(), (
        f"{name} differs from a fresh run of scripts/generate_demo_data.py: "
        "run `make demo-data` and commit the result"
    )


def test_shape_and_injected_problems() -> None:
    customers, transactions, credit, responses = (
        pd.read_csv(SEEDS_DIR / name, dtype=str, keep_default_na=False, na_values=[""])
        for name in FILES
    )

    assert 4900 <= customers.customer_id.nunique() <= 5100
    assert customers.duplicated().sum() == 3
    assert 90_000 <= len(transactions) <= 110_000
    assert transactions.duplicated().sum() == 25
    amounts = pd.to_numeric(transactions.amount, errors="coerce")
    assert transactions.amount.isna().sum() == 10
    assert (transactions.amount == "n/a").sum() == 5
    assert (transactions.is_refund == "true").mean() == pytest.approx(0.02, abs=0.01)
    assert (amounts[transactions.is_refund == "true"] < 0).all()
    assert (~transactions.customer_id.dropna().isin(customers.customer_id)).sum() == 10
    assert transactions.customer_id.isna().sum() == 8
    assert credit.credit_limit.isna().sum() == 5
    assert (credit.credit_limit == "0.00").sum() == 5
    assert responses.campaign_id.nunique() == 3
    rate = (responses.responded == "true").mean()
    assert 0.10 <= rate <= 0.18
