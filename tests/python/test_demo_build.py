"""End to end: `dbt build` (every model, seed, data test and unit test) on the demo data."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from dbt_runner import PROJECT_DIR, DbtResult, copy_build, run_dbt

pytestmark = pytest.mark.dbt

# demo_build (the one `dbt build` on the demo data) is in conftest.py, shared with
# test_report.py so the report is rendered from the same build.


def test_build_passes_every_test(demo_build: DbtResult) -> None:
    assert demo_build.returncode == 0
    assert "ERROR=0" in demo_build.output
    # the fairness checks warn by default (the demo's segments differ by age group),
    # and they are the only tests that may warn
    warned = set(re.findall(r"Warning in test (\w+)", demo_build.output))
    fairness_checks = {
        "segment_fairness_parity_checks",
        "segment_fairness_summary_distribution_checks",
        "segment_fairness_summary_assessable",
        "proxy_check_proxies",
        "propensity_fairness_checks",
    }
    assert warned <= fairness_checks
    assert "age_band.demographic_parity failed for" in demo_build.output
    assert "Fairness warning in propensity_fairness: age_band.equal_opportunity failed for" in (
        demo_build.output
    )


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

    from customer_segmentation.segmentation.preprocessing import apply_preprocessing

    # K-Means scores the customers it is fitted on (the others: the segment of their own)
    features = demo_build.query("select * from int_segmentation_population order by customer_id")
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


def test_a_sampled_final_fit_equals_the_library_sampling_every_row(
    demo_build: DbtResult, tmp_path: Path
) -> None:
    """ml_segment_centroids fetches only its fit sample from the warehouse. A retrain on
    a 1,000-customer sample of the demo gives the centroids, in the same order, that
    fit_segments gives when it samples the whole standardized matrix itself."""
    from customer_segmentation.segmentation.kmeans import fit_segments
    from customer_segmentation.segmentation.preprocessing import apply_preprocessing

    copy_build(demo_build, tmp_path)  # a copy, so the shared demo database stays as built
    variables = {"segment_mode": "retrain", "segment_fit_overrides": {"max_fit_rows": 1000}}
    refit = run_dbt(tmp_path, "run", "--select", "ml_segment_centroids", variables=variables)
    table = refit.query("select * from ml_segment_centroids")
    assert (table.fit_rows == 1000).all() and table.is_sampled.all()

    spec = yaml.safe_load(
        (PROJECT_DIR / "python_models" / "fits" / "segmentation" / "ml_segment_centroids.yml").read_text()
    )
    meta = spec["models"][0]["config"]["meta"]
    features = refit.query("select * from int_segmentation_population order by customer_id")
    params = refit.query("select * from ml_segment_preprocessing")
    expected = fit_segments(
        apply_preprocessing(features, params),
        table.fitted_segment_id.nunique(),
        order_by=features[meta["order_segments_by"]].fillna(0).to_numpy(),
        **{**meta["fit"], "max_fit_rows": 1000},
    )
    ours = table.pivot(
        index="fitted_segment_id", columns="feature_position", values="centroid_scaled"
    )
    assert len(features) > 4000
    np.testing.assert_array_equal(ours.sort_index().to_numpy(), expected.centroids)


def test_sql_second_segment_and_confidence_equal_numpy(demo_build: DbtResult) -> None:
    """The SQL picks the nearest and second-nearest segment within each customer's row
    (one distance column per segment): the same ids and distances as numpy's sort of
    the squared distances (ties to the lower id), and confidence = 1 - d1 / d2."""
    from customer_segmentation.segmentation.preprocessing import apply_preprocessing

    features = demo_build.query("select * from int_segmentation_population order by customer_id")
    params = demo_build.query("select * from ml_segment_preprocessing")
    centroids = demo_build.query("select * from ml_segment_centroids").pivot(
        index="segment_id", columns="feature_position", values="centroid_scaled"
    )
    X = apply_preprocessing(features, params)
    squared = ((X[:, None, :] - centroids.to_numpy()[None, :, :]) ** 2).sum(axis=2)
    order = np.argsort(squared, axis=1, kind="stable")[:, :2]
    distances = np.sqrt(np.take_along_axis(squared, order, axis=1))
    ids = centroids.index.to_numpy()[order]

    ours = demo_build.query(
        "select * from int_customer_segment_scores where customer_id in "
        "(select customer_id from int_segmentation_population) order by customer_id"
    ).set_index("customer_id")
    assert ours.index.tolist() == features.customer_id.tolist()
    np.testing.assert_array_equal(ours.segment_id, ids[:, 0])
    np.testing.assert_array_equal(ours.second_segment_id, ids[:, 1])
    np.testing.assert_allclose(ours.distance, distances[:, 0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(ours.second_distance, distances[:, 1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(
        ours.confidence, 1 - distances[:, 0] / distances[:, 1], rtol=1e-9, atol=1e-12
    )
    assert ours.confidence.between(0, 1).all()


def test_one_k_is_chosen_and_segments_are_usable(demo_build: DbtResult) -> None:
    selection = demo_build.query("select * from ml_segment_model_selection")
    assert selection.is_chosen.sum() == 1
    k = selection.loc[selection.is_chosen, "k"].item()
    # k K-Means segments, beside the segment of its own for customers without an account
    sizes = demo_build.query(
        "select segment_id, customers as n from segment_profiles where is_clustered"
    )
    assert len(sizes) == k >= 3
    assert sizes.n.min() >= 0.02 * sizes.n.sum()


def test_segment_names_are_unique_and_not_empty(demo_build: DbtResult) -> None:
    profiles = demo_build.query("select segment_id, segment_name from segment_profiles")
    assert profiles.segment_name.str.strip().str.len().gt(0).all()
    assert profiles.segment_name.is_unique
    named = demo_build.query("select distinct segment_id, segment_name from customer_segments")
    assert named.set_index("segment_id").segment_name.to_dict() == (
        profiles.set_index("segment_id").segment_name.to_dict()
    )


def test_profile_shares_and_sizes_add_up(demo_build: DbtResult) -> None:
    profiles = demo_build.query("select * from segment_profiles")
    customers = demo_build.query("select count(*) as n from customer_segments").n.item()
    assert profiles.customers.sum() == customers
    assert profiles.customer_share.sum() == pytest.approx(1.0, abs=1e-12)
    assert profiles.revenue_share.sum() == pytest.approx(1.0, abs=1e-9)


def test_profile_z_scores_match_a_pandas_recomputation(demo_build: DbtResult) -> None:
    features = demo_build.query(
        """
        select features.*, segments.segment_id
        from int_customer_features as features
        inner join customer_segments as segments using (customer_id)
        """
    )
    columns = [c for c in features.columns if c not in ("customer_id", "segment_id")]
    means = features.groupby("segment_id")[columns].mean()
    medians = features.groupby("segment_id")[columns].median()
    z_scores = (means - features[columns].mean()) / features[columns].std(ddof=0)

    long = demo_build.query("select * from segment_feature_profiles")
    assert len(long) == len(means) * len(columns)
    # nan: the segment of customers without a credit account has no card values
    for row in long.itertuples():
        key = (row.segment_id, row.feature_name)
        assert row.mean_value == pytest.approx(means.at[key], nan_ok=True)
        assert row.median_value == pytest.approx(medians.at[key], nan_ok=True)
        assert row.z_score == pytest.approx(z_scores.at[key], nan_ok=True)

    profiles = demo_build.query("select * from segment_profiles").set_index("segment_id")
    profiles = profiles.sort_index()
    assert profiles.index.tolist() == z_scores.index.tolist()
    # the top features are those with the largest |z|, with their z-scores
    # (a feature without a z-score, e.g. card values in "No credit account", ranks last)
    order = z_scores.abs().fillna(-1).to_numpy().argsort(axis=1)[:, ::-1]
    for rank in (1, 2, 3):
        top = z_scores.columns[order[:, rank - 1]]
        assert profiles[f"top_feature_{rank}"].tolist() == top.tolist()
        expected = [z_scores.at[s, f] for s, f in zip(z_scores.index, top, strict=True)]
        np.testing.assert_allclose(profiles[f"top_feature_{rank}_z_score"], expected, rtol=1e-9)


def test_map_position_equals_scikit_learn_pca_transform(demo_build: DbtResult) -> None:
    from sklearn.decomposition import PCA

    from customer_segmentation.segmentation.preprocessing import apply_preprocessing

    features = demo_build.query("select * from int_segmentation_population order by customer_id")
    params = demo_build.query("select * from ml_segment_preprocessing")
    X = apply_preprocessing(features, params)
    pca = PCA(n_components=2, svd_solver="full").fit(X)
    expected = pca.transform(X)
    # the documented sign convention: each axis's largest-magnitude loading is positive
    largest = pca.components_[np.arange(2), np.abs(pca.components_).argmax(axis=1)]
    expected = expected * np.sign(largest)

    ours = (
        demo_build.query("select customer_id, pca_x, pca_y from customer_segments")
        .set_index("customer_id")
        .loc[features.customer_id]
    )
    np.testing.assert_allclose(ours[["pca_x", "pca_y"]].to_numpy(), expected, rtol=0, atol=1e-9)


def test_recommendations_cover_every_segment_with_its_consenting_audience(
    demo_build: DbtResult,
) -> None:
    recommendations = demo_build.query("select * from segment_recommendations")
    expected = demo_build.query(
        """
        select segments.segment_id, count(*) as audience_size
        from customer_segments as segments
        inner join int_customer_attributes as attributes using (customer_id)
        where attributes.has_marketing_consent
        group by 1
        """
    ).set_index("segment_id")
    segments = demo_build.query("select distinct segment_id from customer_segments")
    assert sorted(recommendations.segment_id) == sorted(segments.segment_id)
    assert recommendations[["strategy", "channel", "offer", "kpi"]].notna().all().all()
    # the review status follows segment_fairness (see test_flagged_segments_need_review...)
    assert set(recommendations.review_status) <= {"approved", "needs_review"}
    sizes = recommendations.set_index("segment_id").audience_size
    assert sizes.to_dict() == expected.audience_size.to_dict()


def _attribute_sets() -> list[list[str]]:
    """The attributes and every pair of them, as the demo configures (independently of
    the project's macro)."""
    attributes = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"][
        "protected_attributes"
    ]
    pairs = [
        [first, second] for i, first in enumerate(attributes) for second in attributes[i + 1 :]
    ]
    return [[attribute] for attribute in attributes] + pairs


def test_segment_fairness_equals_fairlearn_metric_frame(demo_build: DbtResult) -> None:
    from fairlearn.metrics import MetricFrame, count, selection_rate

    customers = demo_build.query(
        "select * from int_customer_attributes inner join customer_segments using (customer_id)"
    )
    ours = demo_build.query("select * from segment_fairness")
    checked = 0
    for columns in _attribute_sets():
        name = " x ".join(columns)
        for segment_id in sorted(customers.segment_id.unique()):
            member = (customers.segment_id == segment_id).to_numpy().astype(int)
            frame = MetricFrame(
                metrics={"share": selection_rate, "n": count},
                y_true=np.zeros(len(customers)),
                y_pred=member,
                sensitive_features=customers[columns],
            )
            groups = frame.by_group
            published = groups.loc[groups["n"] >= 10]
            kept = (
                customers[columns]
                .apply(tuple, axis=1)
                .isin([key if isinstance(key, tuple) else (key,) for key in published.index])
            )
            # fairlearn on the published groups only: best, worst, difference, ratio
            among_published = MetricFrame(
                metrics=selection_rate,
                y_true=np.zeros(int(kept.sum())),
                y_pred=member[kept.to_numpy()],
                sensitive_features=customers.loc[kept, columns],
            )
            rows = ours.loc[(ours.attribute_name == name) & (ours.segment_id == segment_id)]
            rows = rows.set_index("group_name")
            assert len(rows) == len(groups), (name, segment_id)
            for key, expected in groups.iterrows():
                row = rows.loc[" / ".join(key) if isinstance(key, tuple) else key]
                assert row.population_share == pytest.approx(frame.overall["share"], abs=1e-9)
                if expected["n"] < 10:
                    assert row.is_suppressed and pd.isna(row.group_share)
                    continue
                share = expected["share"]
                assert row.group_customers == expected["n"]
                assert row.group_share == pytest.approx(share, abs=1e-9)
                assert row.difference_to_population == pytest.approx(
                    share - frame.overall["share"], abs=1e-9
                )
                assert row.difference_to_best == pytest.approx(
                    share - among_published.group_max(), abs=1e-9
                )
                assert row.difference_to_worst == pytest.approx(
                    share - among_published.group_min(), abs=1e-9
                )
                assert row.ratio_to_best == pytest.approx(
                    share / among_published.group_max(), abs=1e-9
                )
                assert row.parity_difference == pytest.approx(
                    among_published.difference(), abs=1e-9
                )
                assert row.parity_ratio == pytest.approx(among_published.ratio(), abs=1e-9)
                assert row.is_parity_flagged == (abs(share - frame.overall["share"]) > 0.05)
                assert row.is_four_fifths_flagged == (share / among_published.group_max() < 0.8)
                assert row.is_low_confidence == (expected["n"] < 30)
                checked += 1
    assert checked > 300


def test_segment_fairness_intervals_equal_scipy_wilson(demo_build: DbtResult) -> None:
    from scipy.stats import binomtest

    rows = demo_build.query("select * from segment_fairness where not is_suppressed")
    for row in rows.itertuples():
        interval = binomtest(int(row.customers), int(row.group_customers)).proportion_ci(
            0.95, method="wilson"
        )
        assert row.share_ci_lower == pytest.approx(interval.low, abs=1e-9)
        assert row.share_ci_upper == pytest.approx(interval.high, abs=1e-9)


def test_fairness_summary_total_variation_equals_pandas(demo_build: DbtResult) -> None:
    customers = demo_build.query(
        "select * from int_customer_attributes inner join customer_segments using (customer_id)"
    )
    summary = demo_build.query("select * from segment_fairness_summary").set_index("attribute_name")
    population = customers.segment_id.value_counts(normalize=True)
    for columns in _attribute_sets():
        group = customers[columns].astype(str).agg(" / ".join, axis=1)
        mix = pd.crosstab(group, customers.segment_id, normalize="index")
        sizes = group.value_counts()
        measured = mix.loc[sizes[sizes >= 30].index]
        distance = 0.5 * (measured - population).abs().sum(axis=1)
        row = summary.loc[" x ".join(columns)]
        assert row.group_count == len(sizes)
        assert row.max_total_variation == pytest.approx(distance.max(), abs=1e-9)
        assert row.worst_group_name == distance.idxmax()
        spread = measured.max() - measured.min()
        assert row.max_parity_difference == pytest.approx(spread.max(), abs=1e-9)
        assert row.worst_segment_id == spread.idxmax()


def test_proxy_check_eta_equals_pandas(demo_build: DbtResult) -> None:
    from customer_segmentation.segmentation.preprocessing import apply_preprocessing

    features = demo_build.query("select * from int_customer_features order by customer_id")
    params = demo_build.query("select * from ml_segment_preprocessing")
    kept = params.loc[~params.is_dropped].sort_values("feature_position").feature_name
    scaled = pd.DataFrame(
        apply_preprocessing(features, params), columns=list(kept), index=features.customer_id
    )
    attributes = demo_build.query("select * from int_customer_attributes").set_index("customer_id")
    proxy = demo_build.query("select * from proxy_check").set_index(
        ["feature_name", "attribute_name"]
    )
    attribute_names = proxy.index.get_level_values("attribute_name").unique()
    segmentation = proxy.loc[proxy.is_segmentation_feature]
    assert len(segmentation) == len(kept) * len(attribute_names) > 0
    for attribute in attribute_names:
        groups = attributes.loc[scaled.index, attribute]
        for feature in kept:
            values = scaled[feature]
            by_group = values.groupby(groups).agg(["size", "mean"])
            between = (by_group["size"] * (by_group["mean"] - values.mean()) ** 2).sum()
            total = ((values - values.mean()) ** 2).sum()
            eta = np.sqrt(between / total)
            row = proxy.loc[(feature, attribute)]
            assert row.correlation_ratio == pytest.approx(eta, abs=1e-9), (feature, attribute)
            assert row.is_proxy_flagged == (eta > 0.3)


def test_proxy_check_screens_the_categorical_propensity_feature_by_cramers_v(
    demo_build: DbtResult,
) -> None:
    """preferred_channel is a propensity feature only: Cramér's V against each protected
    attribute, as pandas computes it from the folded levels."""
    categories = demo_build.query("select * from int_customer_categories").set_index("customer_id")
    attributes = demo_build.query("select * from int_customer_attributes").set_index("customer_id")
    proxy = demo_build.query(
        "select * from proxy_check where feature_name = 'preferred_channel'"
    ).set_index("attribute_name")
    assert set(proxy["feature_roles"]) == {"propensity"}
    assert set(proxy["association_measure"]) == {"cramers_v"}
    for attribute, row in proxy.iterrows():
        table = pd.crosstab(
            categories["preferred_channel"], attributes.loc[categories.index, attribute]
        )
        expected = table.to_numpy() / table.to_numpy().sum()
        outer = np.outer(expected.sum(axis=1), expected.sum(axis=0))
        chi_square = table.to_numpy().sum() * ((expected - outer) ** 2 / outer).sum()
        cramers_v = np.sqrt(chi_square / (table.to_numpy().sum() * (min(table.shape) - 1)))
        assert row.cramers_v == pytest.approx(cramers_v, abs=1e-9), attribute
        assert row.association == row.cramers_v
        assert row.is_proxy_flagged == (cramers_v > 0.3)


def test_run_manifest_records_this_build(demo_build: DbtResult) -> None:
    import dbt.version
    import duckdb
    import sklearn

    manifest = demo_build.query("select * from run_manifest")
    assert len(manifest) == 1
    row = manifest.iloc[0]
    assert row.dbt_version == dbt.version.__version__
    assert row.duckdb_version == duckdb.__version__
    assert row.scikit_learn_version == sklearn.__version__
    chosen = demo_build.query("select k from ml_segment_model_selection where is_chosen").k
    assert row.chosen_k == chosen.item()
    counts = demo_build.query(
        """
        select
            (select sum(row_copies) from base_input__customers) as customers,
            (select sum(row_copies) from base_input__transactions) as transactions
        """
    ).iloc[0]
    assert row.customers_row_count == counts.customers
    assert row.transactions_row_count == counts.transactions
    assert len(row.configuration_hash) == 32 and len(row.segment_model_hash) == 32
    assert len(row.propensity_model_hash) == 32


def test_propensity_sql_metrics_equal_scikit_learn(demo_build: DbtResult) -> None:
    from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score

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
        # max_f1: no score threshold gives a higher F1 than the chosen one (the curve
        # has one point per distinct score, predicting score >= that threshold)
        precision, recall, _ = precision_recall_curve(model.has_responded, model.oof_score)
        f1 = np.divide(
            2 * precision * recall,
            precision + recall,
            out=np.zeros_like(precision),
            where=precision + recall > 0,
        )
        best = f1.max()
        assert row.threshold_policy == "max_f1"
        assert abs(row.f1_at_threshold - best) < 1e-9
        assert row.true_positives + row.false_negatives == model.has_responded.sum()
    served = metrics.loc[metrics.is_served].iloc[0]
    assert served.roc_auc > 0.75
    overall = metrics.loc[metrics.scope == "all"]
    assert served.roc_auc == overall.roc_auc.max()  # chosen out of fold
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


def test_propensity_fairness_equals_fairlearn_metric_frame(demo_build: DbtResult) -> None:
    import yaml
    from dbt_runner import PROJECT_DIR
    from propensity_fairness_reference import assert_propensity_fairness_equals_fairlearn

    variables = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    checked = assert_propensity_fairness_equals_fairlearn(
        demo_build,
        _attribute_sets(),
        parity_threshold=variables["fairness_parity_threshold"],
        suppress_below=variables["fairness_suppress_below"],
        min_group_size=variables["fairness_min_group_size"],
    )
    assert checked > 30


def test_flagged_segments_need_review_naming_the_groups(demo_build: DbtResult) -> None:
    flagged = demo_build.query(
        """
        select segment_id, attribute_name || '.' || group_name as flagged_group
        from segment_fairness
        where is_parity_flagged and not is_low_confidence
        """
    )
    recommendations = demo_build.query("select * from segment_recommendations")
    assert len(flagged) > 0
    for row in recommendations.itertuples():
        groups = sorted(flagged.loc[flagged.segment_id == row.segment_id].flagged_group)
        assert row.review_status == ("needs_review" if groups else "approved")
        if groups:
            assert row.review_reason.startswith("demographic_parity: ")
            assert sorted(row.review_reason.removeprefix("demographic_parity: ").split(", ")) == (
                groups
            )
        # not strict (the default): nobody is held back, targets carry the status
        assert not row.is_held_back and row.held_back_customers == 0
    targets = demo_build.query(
        "select t.review_status, r.review_status as expected from campaign_targets as t "
        "inner join segment_recommendations as r using (segment_id)"
    )
    assert len(targets) > 0 and (targets.review_status == targets.expected).all()


def test_the_feature_test_reads_the_propensity_features(
    demo_build: DbtResult, tmp_path_factory: pytest.TempPathFactory
) -> None:

    import duckdb

    compiled = next(
        (demo_build.database.parent / "target" / "compiled").rglob(
            "assert_no_protected_attribute_is_a_feature.sql"
        )
    ).read_text()
    assert "ml_propensity_features" in compiled
    # the same SQL on a copy where the propensity model uses a marital status column
    copy = copy_build(demo_build, tmp_path_factory.mktemp("tampered")) / demo_build.database.name
    with duckdb.connect(str(copy)) as connection:
        assert connection.sql(compiled).fetchall() == []
        connection.execute(
            "insert into ml_propensity_features (feature_name) values ('marital_status_single')"
        )
        violations = connection.sql(compiled).fetchall()
    assert violations == [("ml_propensity_features", "marital_status_single", "marital_status")]


def test_customers_without_a_credit_account_get_a_segment_of_their_own(
    demo_build: DbtResult,
) -> None:
    """The demo's 979 customers without a credit account lack the whole credit family:
    K-Means is fitted (K selection too) and scores only the customers with an account,
    and the others are the segment "No credit account" (id 0), with no distance or map
    position, so no K-Means segment is made of imputed card values."""
    families = demo_build.query("select * from int_customer_feature_families")
    without = set(families.loc[~families.has_credit_account.astype(bool), "customer_id"])
    with_account = set(
        demo_build.query("select customer_id from int_customer_utilization").customer_id
    )
    assert len(without) == 979 and not without & with_account
    # no customer without any transaction counts as missing the RFM family
    assert families.loc[~families.has_purchases.astype(bool)].is_clustered.any()

    segments = demo_build.query("select * from customer_segments").set_index("customer_id")
    own = segments.loc[segments.segment_id == 0]
    assert set(own.index) == without
    assert (own.segment_name == "No credit account").all()
    assert own[["distance", "confidence", "pca_x", "pca_y"]].isna().all().all()
    assert not own.has_credit_account.any()
    assert segments.loc[segments.segment_id != 0].has_credit_account.all()

    fit_rows = demo_build.query("select distinct fit_rows from ml_segment_model_selection")
    assert fit_rows.fit_rows.tolist() == [len(with_account)]
    population = demo_build.query("select count(*) as n from int_segmentation_population").n
    assert population.item() == len(with_account)

    profiles = demo_build.query("select * from segment_profiles").set_index("segment_id")
    assert profiles.loc[0, "share_without_credit_account"] == 1.0
    assert not profiles.loc[0, "is_clustered"] and pd.isna(profiles.loc[0, "mean_confidence"])
    clustered = profiles.loc[profiles.is_clustered]
    assert (clustered.share_without_credit_account == 0).all()
    assert (
        0 not in demo_build.query("select segment_id from ml_segment_centroids").segment_id.values
    )
    # imputed card values are visible per segment and feature, and now rare
    imputed = (
        demo_build.query(
            "select segment_id, feature_name, imputed_share from segment_feature_profiles "
            "where feature_name = 'credit_utilization'"
        )
        .set_index("segment_id")
        .imputed_share
    )
    assert imputed.loc[0] == 0  # not scored, so nothing imputed
    assert imputed.drop(0).max() < 0.05

    plays = demo_build.query("select * from segment_recommendations").set_index("segment_id")
    assert plays.loc[0, "playbook_key"] == "no_credit_account"
