"""End to end: `dbt build` (every model, seed, data test and unit test) on the demo data."""

from __future__ import annotations

import pytest
from dbt_runner import DbtResult, run_dbt

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> DbtResult:
    return run_dbt(tmp_path_factory.mktemp("demo"), "build")


def test_build_passes_every_test(demo_build: DbtResult) -> None:
    assert "ERROR=0" in demo_build.output
    assert "Completed successfully" in demo_build.output


def test_demo_problems_are_all_counted(demo_build: DbtResult) -> None:
    quality = demo_build.query(
        "select input_name, check_name, rows_affected from data_quality"
    ).set_index(["input_name", "check_name"])["rows_affected"]
    assert quality["customers", "duplicate_row"] == 3
    for check_name in [
        "duplicate_row",
        "missing_customer_id",
        "missing_amount",
        "non_numeric_amount",
        "zero_amount",
        "unknown_customer",
        "refund_netted",
    ]:
        assert quality["transactions", check_name] > 0, check_name
    assert quality["credit_accounts", "credit_limit_missing"] > 0


def test_features_cover_every_customer_once(demo_build: DbtResult) -> None:
    counts = demo_build.query(
        """
        select
            (select count(*) from stg_input__customers) as customers,
            (select count(*) from int_customer_features) as feature_rows,
            (select count(distinct customer_id) from int_customer_features) as feature_customers
        """
    ).iloc[0]
    assert counts.customers == counts.feature_rows == counts.feature_customers
    assert 4500 <= counts.customers <= 5500


def test_protected_attributes_are_not_feature_columns(demo_build: DbtResult) -> None:
    columns = set(demo_build.query("select * from int_customer_features limit 0").columns)
    protected = {"gender", "birth_date", "age_years", "age_band", "marital_status"}
    assert not columns & protected
    assert {"recency_days", "frequency", "monetary_total", "credit_utilization"} <= columns


def test_rfm_scores_are_tie_safe(demo_build: DbtResult) -> None:
    # equal values never get different scores
    for value, score in [
        ("recency_days", "recency_score"),
        ("frequency", "frequency_score"),
        ("monetary_total", "monetary_score"),
    ]:
        clashes = demo_build.query(
            f"""
            select {value} from int_customer_rfm
            where {value} is not null
            group by {value} having count(distinct {score}) > 1
            """
        )
        assert clashes.empty, value


def test_rfm_segments_are_spread(demo_build: DbtResult) -> None:
    segments = demo_build.query(
        "select rfm_segment, count(*) as customers from int_customer_rfm group by 1"
    )
    assert len(segments) >= 8
    assert segments.customers.max() < 0.5 * segments.customers.sum()


def test_as_of_date_is_the_day_after_the_last_transaction(demo_build: DbtResult) -> None:
    dates = demo_build.query(
        """
        select
            (select as_of_date from int_reference_date) as as_of_date,
            (select max(cast(transacted_at as date)) from stg_input__transactions) as last_day
        """
    ).iloc[0]
    assert (dates.as_of_date - dates.last_day).days == 1


def test_demo_seeds_load_into_the_documented_schema(demo_build: DbtResult) -> None:
    tables = set(
        demo_build.query(
            "select table_schema || '.' || table_name as name from information_schema.tables"
        ).name
    )
    assert "main_demo.demo_transactions" in tables
    assert "main.data_quality" in tables


def test_sql_scoring_equals_scikit_learn_predict(demo_build: DbtResult) -> None:
    from sklearn.cluster import KMeans

    from customer_segmentation.preprocessing import apply_preprocessing

    features = demo_build.query("select * from int_customer_features order by customer_id")
    params = demo_build.query("select * from ml_segment_preprocessing")
    centroids = (
        demo_build.query("select * from ml_segment_centroids")
        .pivot(index="segment_id", columns="feature_position", values="centroid_scaled")
        .sort_index()
        .to_numpy()
    )
    # a KMeans whose centres are exactly the stored centroids: fitted on them, from them
    model = KMeans(len(centroids), init=centroids, n_init=1, max_iter=1).fit(centroids)
    expected = model.predict(apply_preprocessing(features, params)) + 1

    ours = demo_build.query("select customer_id, segment_id from customer_segments")
    ours = ours.set_index("customer_id").loc[features.customer_id, "segment_id"].to_numpy()
    assert len(ours) == len(features) > 4000
    assert (ours == expected).all()


def test_one_k_is_chosen_and_segments_are_usable(demo_build: DbtResult) -> None:
    selection = demo_build.query("select * from ml_segment_model_selection")
    assert selection.is_chosen.sum() == 1
    k = selection.loc[selection.is_chosen, "k"].item()
    sizes = demo_build.query("select segment_id, count(*) as n from customer_segments group by 1")
    assert len(sizes) == k >= 3
    assert sizes.n.min() >= 0.02 * sizes.n.sum()


def test_propensity_sql_metrics_equal_scikit_learn(demo_build: DbtResult) -> None:
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    oof = demo_build.query("select * from ml_propensity_oof_predictions")
    metrics = demo_build.query("select * from propensity_metrics where scope = 'all'")
    assert (
        set(metrics.model_name)
        == set(oof.model_name)
        >= {
            "gradient_boosting",
            "logistic_baseline",
        }
    )
    for row in metrics.itertuples():
        model = oof[oof.model_name == row.model_name]
        assert abs(row.roc_auc - roc_auc_score(model.has_responded, model.oof_score)) < 1e-9
        assert (
            abs(
                row.average_precision
                - average_precision_score(model.has_responded, model.oof_score)
            )
            < 1e-9
        )
        # max_f1: no score threshold gives a higher F1 than the chosen one
        best = max(
            f1_score(model.has_responded, model.oof_score >= threshold)
            for threshold in model.oof_score.unique()
        )
        assert row.threshold_policy == "max_f1"
        assert abs(row.f1_at_threshold - best) < 1e-9
        assert row.true_positives + row.false_negatives == model.has_responded.sum()
    served = metrics.loc[metrics.is_served].iloc[0]
    assert served.roc_auc > 0.75
    per_segment = demo_build.query("select * from propensity_metrics where scope != 'all'")
    assert per_segment.groupby("model_name").customers.sum().eq(len(oof) / len(metrics)).all()


def test_propensity_scores_every_customer_once(demo_build: DbtResult) -> None:
    counts = demo_build.query(
        """
        select
            (select count(*) from int_customer_features) as customers,
            (select count(*) from propensity_scores) as scored,
            (select count(*) from propensity_scores where is_training) as training,
            (select contacted_customers from int_propensity_campaign) as contacted,
            (select count(distinct score_decile) from propensity_scores) as deciles,
            (select count(*) from propensity_scores where reason_1_feature is null) as no_reason
        """
    ).iloc[0]
    assert counts.customers == counts.scored
    assert counts.training == counts.contacted > 1000
    assert counts.deciles == 10
    assert counts.no_reason < 0.05 * counts.customers


def test_propensity_features_exclude_protected_attributes(demo_build: DbtResult) -> None:
    used = set(demo_build.query("select feature_name from ml_propensity_features").feature_name)
    attributes = set(demo_build.query("select * from int_customer_attributes limit 0").columns)
    assert not used & (attributes | {"birth_date", "age", "gender", "marital_status"})
    assert {"recency_days", "previous_campaigns_accepted", "segment_1"} <= used


def test_propensity_features_are_measured_before_the_contact_date(demo_build: DbtResult) -> None:
    leaks = demo_build.query(
        """
        select
            (select count(*) from int_customer_rfm_at_campaign, int_propensity_campaign
             where last_purchase_date >= contacted_date) as late_purchases,
            (select max(previous_campaigns_contacted) from int_customer_campaign_history)
                as most_earlier_campaigns,
            (select count(*) from stg_input__transactions, int_propensity_campaign
             where cast(transacted_at as date) >= contacted_date) as lines_after_contact
        """
    ).iloc[0]
    assert leaks.late_purchases == 0
    assert leaks.lines_after_contact > 0  # the demo has data to leak, and it does not
    assert leaks.most_earlier_campaigns == 2  # the demo's target is the third campaign


def test_campaign_targets_respect_consent_and_budget(demo_build: DbtResult) -> None:
    targets = demo_build.query(
        """
        select targets.*, attributes.has_marketing_consent
        from campaign_targets as targets
        inner join int_customer_attributes as attributes using (customer_id)
        order by target_rank
        """
    )
    assert len(targets) == 500  # var campaign_target_budget
    assert targets.has_marketing_consent.all()
    assert targets.target_rank.tolist() == list(range(1, 501))
    assert targets.propensity_score.is_monotonic_decreasing
    best_excluded = demo_build.query(
        """
        select max(scores.propensity_score) as score
        from propensity_scores as scores
        inner join int_customer_attributes as attributes using (customer_id)
        where attributes.has_marketing_consent
            and scores.customer_id not in (select customer_id from campaign_targets)
        """
    ).score.item()
    assert best_excluded <= targets.propensity_score.min()


def test_propensity_lift_adds_up(demo_build: DbtResult) -> None:
    lift = demo_build.query("select * from propensity_lift order by model_name, score_decile")
    oof = demo_build.query(
        "select model_name, count(*) as n, sum(cast(has_responded as int)) as r "
        "from ml_propensity_oof_predictions group by 1"
    ).set_index("model_name")
    for name, deciles in lift.groupby("model_name"):
        assert deciles.score_decile.tolist() == list(range(1, 11))
        assert deciles.customers.sum() == oof.n[name]
        assert deciles.responders.sum() == oof.r[name]
        assert deciles.cumulative_gain.iloc[-1] == pytest.approx(1.0)
        assert deciles.lift.iloc[0] > 2  # the top tenth responds at twice the average
