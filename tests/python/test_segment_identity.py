"""Segment identities at a retrain, through real dbt builds on the demo data.

A first build fits the demo customers (read as files). Two retrains start from a copy
of that database: one on moderately changed data (300 customers gone, 200 clones of
others added, every annual income x 1.6: K selection now takes 6 segments and splits
Revolvers in two), one with the features restricted from all 20 to 6. The first must
keep the identities it clearly continues and start new ones for the halves of the
split, showing the reused name; the second must start new identities for every
segment and say why. These scenarios cluster every customer (segment_missing_family
impute, the population they were built on); a last pair of builds checks that under
the default, own_segment, the segment of customers without a credit account keeps
id 0 across the retrain while K-Means keeps its identities.
"""

from __future__ import annotations

import pandas as pd
import pytest
from dbt_runner import DbtResult, copy_build, run_dbt
from demo_inputs import changed_customers, read_demo, write_inputs

pytestmark = pytest.mark.dbt

INPUTS = ("customers", "transactions", "credit_accounts")
SELECT = ["--select", "+segment_identity_matches", "+segment_migration"]
GONE, ADDED, INCOME_FACTOR = 300, 200, 1.6
RESTRICTED = [
    "balance",
    "credit_utilization",
    "full_payment_ratio",
    "cash_advance_share",
    "purchases_frequency",
    "cash_advance_frequency",
]
MATCHES = "select * from segment_identity_matches order by identity_status, segment_id"


@pytest.fixture(scope="module")
def retrains(tmp_path_factory: pytest.TempPathFactory) -> dict[str, DbtResult]:
    """The first fit, then each retrain on its own copy of that database."""
    tables = {name: read_demo(name) for name in INPUTS}
    last_day = pd.to_datetime(tables["transactions"]["transacted_at"]).max().normalize()
    original = tmp_path_factory.mktemp("identity_inputs")
    changed = tmp_path_factory.mktemp("identity_changed_inputs")
    write_inputs(original, tables)
    write_inputs(changed, changed_customers(tables, GONE, ADDED, INCOME_FACTOR))
    variables = {
        "input_source": "files",
        "input_file_template": f"{original}/{{name}}.csv",
        "optional_inputs": ["transactions", "credit_accounts"],
        "as_of_date": (last_day + pd.Timedelta(days=1)).strftime("%Y-%m-%d"),
        "segment_missing_family": "impute",
    }
    first = run_dbt(
        tmp_path_factory.mktemp("identity_first"), "build", *SELECT, variables=variables
    )
    retrain = {**variables, "segment_mode": "retrain"}
    moderate = run_dbt(
        copy_build(first, tmp_path_factory.mktemp("identity_moderate")),
        "build",
        *SELECT,
        variables={**retrain, "input_file_template": f"{changed}/{{name}}.csv"},
    )
    restricted = run_dbt(
        copy_build(first, tmp_path_factory.mktemp("identity_restricted")),
        "build",
        *SELECT,
        variables={**retrain, "segment_features": RESTRICTED},
    )
    own = {**variables, "segment_missing_family": "own_segment"}
    own_first = run_dbt(
        tmp_path_factory.mktemp("identity_own_first"), "build", *SELECT, variables=own
    )
    own_moderate = run_dbt(
        copy_build(own_first, tmp_path_factory.mktemp("identity_own_moderate")),
        "build",
        *SELECT,
        variables={
            **own,
            "segment_mode": "retrain",
            "input_file_template": f"{changed}/{{name}}.csv",
        },
    )
    return {
        "first": first,
        "moderate": moderate,
        "restricted": restricted,
        "own_moderate": own_moderate,
    }


def test_a_moderate_change_keeps_the_segments_it_clearly_continues(retrains: dict) -> None:
    matches = retrains["moderate"].query(MATCHES).set_index("segment_id")
    kept = matches.loc[matches["identity_status"] == "kept"]
    assert sorted(kept.index) == [1, 3, 4, 5]
    assert set(kept["identity_reason"]) == {"clear_match"}
    assert (kept["segment_name"] == kept["previous_segment_name"]).all()
    # each centroid in its own version's units: the 60% higher incomes do not move them
    assert (kept["match_distance"] < 0.25).all()
    assert (kept["match_distance"] <= 0.8 * kept["runner_up_distance"]).all()
    # the same customers, counted on the fit rows against the previous scoring
    assert (kept["members_compared"] > 500).all()
    assert (kept["share_from_previous_segment"] > 0.99).all()
    assert (kept["share_of_previous_segment"] > 0.9).all()
    assert not kept["is_name_reused"].any()
    assert (matches["identity_max_distance"] == 1.0).all()


def test_a_split_segment_starts_new_identities_and_its_reused_name_shows(
    retrains: dict,
) -> None:
    matches = retrains["moderate"].query(MATCHES).set_index("segment_id")
    retired = matches.loc[matches["identity_status"] == "retired"]
    assert retired.index.tolist() == [2]
    assert retired.loc[2, "previous_segment_name"] == "Revolvers"
    new = matches.loc[matches["identity_status"] == "new"]
    assert sorted(new.index) == [6, 7]  # above every registered id
    # the half named Revolvers: nearly all its customers were Revolvers, but only half
    # of the Revolvers are in it
    named = new.loc[new["segment_name"] == "Revolvers"].iloc[0]
    assert named["is_name_reused"] and named["name_previous_segment_id"] == 2
    assert named["name_member_share"] > 0.95
    assert 0.4 < named["name_previous_member_share"] < 0.6
    assert named["identity_reason"] in ("too_far", "ambiguous", "members_differ")
    assert named["previous_segment_id"] == 2
    # the other half had no counterpart left
    other = new.loc[new["segment_name"] != "Revolvers"].iloc[0]
    assert other["identity_reason"] == "no_counterpart"
    assert not other["is_name_reused"]


def test_a_restricted_feature_set_starts_new_identities_and_says_why(retrains: dict) -> None:
    result: DbtResult = retrains["restricted"]
    matches = result.query(MATCHES)
    active = matches.loc[matches["identity_status"] != "retired"]
    assert set(active["identity_status"]) == {"new"}
    assert set(matches["identity_reason"]) == {"not_comparable"}
    assert matches["shared_feature_share"].round(6).unique().tolist() == [0.3]  # 6 of 20
    assert active["previous_segment_id"].isna().all()
    assert (active["segment_id"] > 5).all()
    retired = matches.loc[matches["identity_status"] == "retired"]
    assert sorted(retired["segment_id"]) == [1, 2, 3, 4, 5]
    # every reused name is visible, with how many customers it shares
    reused = active.loc[active["is_name_reused"]]
    assert len(reused) >= 1
    assert reused["name_member_share"].notna().all()
    # segment_migration moves every customer to a new segment: none stays in an old id
    migration = result.query("select * from segment_migration where from_segment <> 'new'")
    assert not (migration["from_segment_id"] == migration["to_segment_id"]).any()


def test_the_segment_without_a_credit_account_keeps_id_0_across_a_retrain(
    retrains: dict,
) -> None:
    result: DbtResult = retrains["own_moderate"]
    matches = result.query(MATCHES)
    # K-Means identities only: segment 0 has no centroid, so it is never matched or retired
    assert 0 not in matches["segment_id"].tolist()
    kept = matches.loc[matches["identity_status"] == "kept"]
    assert len(kept) >= 3 and set(kept["identity_reason"]) == {"clear_match"}
    migration = result.query("select * from segment_migration")
    stayed = migration.loc[(migration["from_segment_id"] == 0) & (migration["to_segment_id"] == 0)]
    assert stayed["customers"].sum() > 800  # the customers without an account in both scorings
    # nobody gains or loses an account in this scenario: among customers scored both
    # times, nobody moves between segment 0 and a K-Means segment
    both = migration.loc[migration["from_segment_id"].notna() & migration["to_segment_id"].notna()]
    assert not ((both["from_segment_id"] == 0) != (both["to_segment_id"] == 0)).any()
