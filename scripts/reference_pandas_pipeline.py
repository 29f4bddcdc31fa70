"""The reference pipeline of the end-to-end benchmark: plain pandas + scikit-learn.

Written the way the seed notebooks do it, top to bottom: read the four input files with
pandas, clean the transaction lines, RFM with a groupby, 1-5 scores with qcut, credit
utilization, StandardScaler, KMeans over a k range with silhouette on a sample, a final
KMeans, then a HistGradientBoosting response model with 5-fold out-of-fold predictions
and a final fit, and the outputs written as Parquet.

It is not the project: it is what the project is measured against
(scripts/benchmark_end_to_end.py). So that the comparison is about the engine and not
about settings, it takes the same settings as the dbt models (k range, n_init, fit and
silhouette sample sizes, random states, one OpenMP thread for KMeans, the boosting
parameters), read from their YAML; the cleaning rules are those of the staging models.

Usage: python scripts/reference_pandas_pipeline.py INPUT_DIR OUTPUT_DIR
Prints one JSON line (rows, chosen k, out-of-fold ROC-AUC, seconds per step).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import (
    calinski_harabasz_score,
    davies_bouldin_score,
    roc_auc_score,
    silhouette_score,
)
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

PROJECT_DIR = Path(__file__).resolve().parents[1]


def meta(file: str, model: int = 0) -> dict:
    spec = yaml.safe_load(next((PROJECT_DIR / "python_models").rglob(file)).read_text())
    return spec["models"][model]["config"]["meta"]


K_SELECTION = meta("ml_segment_model_selection.yml")["k_selection"]
FIT = meta("ml_segment_centroids.yml")["fit"]
PROPENSITY = meta("_ml_propensity.yml")["propensity"]

input_dir, output_dir = Path(sys.argv[1]), Path(sys.argv[2])
output_dir.mkdir(parents=True, exist_ok=True)
steps: dict[str, float] = {}
clock = time.perf_counter()


def step(name: str) -> None:
    global clock
    now = time.perf_counter()
    steps[name] = round(now - clock, 3)
    clock = now


# ---- Read ----------------------------------------------------------------------------
customers = pd.read_parquet(input_dir / "customers.parquet")
transactions = pd.read_parquet(input_dir / "transactions.parquet")
credit = pd.read_parquet(input_dir / "credit_accounts.parquet")
campaigns = pd.read_parquet(input_dir / "campaign_responses.parquet")
step("read")

# ---- Clean the transaction lines ------------------------------------------------------
customers = customers.drop_duplicates("customer_id")
transactions = transactions.drop_duplicates()
transactions = transactions.dropna(subset=["customer_id", "transacted_at", "amount"])
transactions = transactions[transactions["amount"] != 0]
transactions = transactions[transactions["customer_id"].isin(customers["customer_id"])]
refund = transactions["is_refund"].fillna(False) | (transactions["amount"] < 0)
transactions["is_refund"] = refund
transactions["amount"] = np.where(refund, -transactions["amount"].abs(), transactions["amount"])
as_of = transactions["transacted_at"].max().normalize() + pd.Timedelta(days=1)
step("clean")


# ---- RFM ------------------------------------------------------------------------------
def rfm_table(lines: pd.DataFrame, reference: pd.Timestamp) -> pd.DataFrame:
    purchases = lines[~lines["is_refund"]]
    table = pd.DataFrame(
        {
            "frequency": purchases.groupby("customer_id")["order_id"].nunique(),
            "last_purchase": purchases.groupby("customer_id")["transacted_at"].max(),
            "first_purchase": purchases.groupby("customer_id")["transacted_at"].min(),
            "monetary_total": lines.groupby("customer_id")["amount"].sum(),
        }
    )
    table = table.reindex(customers["customer_id"])
    table["frequency"] = table["frequency"].fillna(0)
    table["monetary_total"] = table["monetary_total"].fillna(0)
    table["recency_days"] = (reference - table["last_purchase"].dt.normalize()).dt.days
    table["tenure_days"] = (reference - table["first_purchase"].dt.normalize()).dt.days
    table["average_order_value"] = table["monetary_total"] / table["frequency"].replace(0, np.nan)
    return table.drop(columns=["last_purchase", "first_purchase"])


rfm = rfm_table(transactions, as_of)
rfm["recency_score"] = pd.qcut(rfm["recency_days"].rank(method="first"), 5, labels=[5, 4, 3, 2, 1])
rfm["frequency_score"] = pd.qcut(rfm["frequency"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5])
rfm["monetary_score"] = pd.qcut(
    rfm["monetary_total"].rank(method="first"), 5, labels=[1, 2, 3, 4, 5]
)
rfm["rfm_cell"] = (
    rfm["recency_score"].astype(str)
    + rfm["frequency_score"].astype(str)
    + rfm["monetary_score"].astype(str)
)
step("rfm")

# ---- Credit utilization ---------------------------------------------------------------
sums = ["balance", "credit_limit", "purchases", "cash_advance", "payments", "minimum_payments"]
sums += ["oneoff_purchases", "installments_purchases", "purchase_transactions"]
means = ["full_payment_ratio", "purchases_frequency", "cash_advance_frequency"]
utilization = credit.groupby("customer_id").agg(
    {**dict.fromkeys(sums, "sum"), **dict.fromkeys(means, "mean")}
)


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.replace(0, np.nan)


utilization["credit_utilization"] = ratio(utilization["balance"], utilization["credit_limit"])
utilization["payments_to_minimum_ratio"] = ratio(
    utilization["payments"], utilization["minimum_payments"]
)
utilization["cash_advance_share"] = ratio(
    utilization["cash_advance"], utilization["purchases"] + utilization["cash_advance"]
)
utilization["oneoff_purchase_share"] = ratio(
    utilization["oneoff_purchases"],
    utilization["oneoff_purchases"] + utilization["installments_purchases"],
)
utilization["purchases_per_transaction"] = ratio(
    utilization["purchases"], utilization["purchase_transactions"]
)
dropped = ["minimum_payments", "oneoff_purchases", "installments_purchases"]
dropped += ["purchase_transactions"]
utilization = utilization.drop(columns=dropped)
step("utilization")

# ---- Features, scaled -----------------------------------------------------------------
profile = customers.set_index("customer_id")[["annual_income", "household_size"]]
rfm_features = ["recency_days", "frequency", "monetary_total", "average_order_value"]
rfm_features += ["tenure_days"]
features = profile.join(rfm[rfm_features]).join(utilization).astype("float64")
X = StandardScaler().fit_transform(features.fillna(features.median()))
step("scale")

# ---- K selection: KMeans over the k range, silhouette on a sample ---------------------
rng = np.random.default_rng(K_SELECTION["random_state"])
sample = X[rng.choice(len(X), min(len(X), K_SELECTION["max_fit_rows"]), replace=False)]
selection = []
with threadpool_limits(limits=K_SELECTION["threads"]):
    for k in range(K_SELECTION["k_min"], K_SELECTION["k_max"] + 1):
        model = KMeans(k, n_init=K_SELECTION["n_init"], random_state=K_SELECTION["random_state"])
        labels = model.fit_predict(sample)
        selection.append(
            {
                "k": k,
                "inertia": model.inertia_,
                "silhouette": silhouette_score(
                    sample,
                    labels,
                    sample_size=min(len(sample), K_SELECTION["silhouette_sample_size"]),
                    random_state=K_SELECTION["random_state"],
                ),
                "calinski_harabasz": calinski_harabasz_score(sample, labels),
                "davies_bouldin": davies_bouldin_score(sample, labels),
            }
        )
selection = pd.DataFrame(selection)
chosen_k = int(selection.loc[selection["silhouette"].idxmax(), "k"])
selection["is_chosen"] = selection["k"] == chosen_k
step("k_selection")

# ---- Final KMeans at the chosen k, every customer assigned ----------------------------
rng = np.random.default_rng(FIT["random_state"])
sample = X[rng.choice(len(X), min(len(X), FIT["max_fit_rows"]), replace=False)]
with threadpool_limits(limits=FIT["threads"]):
    kmeans = KMeans(chosen_k, n_init=FIT["n_init"], random_state=FIT["random_state"]).fit(sample)
    segments = pd.DataFrame({"segment_id": kmeans.predict(X) + 1}, index=features.index)
step("final_fit")

# ---- Propensity: the latest campaign, features measured before its contact date -------
campaigns = campaigns.drop_duplicates(["customer_id", "campaign_id"])
target_id = campaigns.sort_values("contacted_at")["campaign_id"].iloc[-1]
target = campaigns[campaigns["campaign_id"] == target_id]
contact_date = pd.Timestamp(target["contacted_at"].min())
earlier = campaigns[pd.to_datetime(campaigns["contacted_at"]) < contact_date]
history = earlier.groupby("customer_id").agg(
    previous_campaigns_contacted=("campaign_id", "nunique"),
    previous_campaigns_accepted=("responded", "sum"),
)
before = rfm_table(transactions[transactions["transacted_at"] < contact_date], contact_date)
table = profile.join(before[rfm_features]).join(utilization).join(history).join(segments)
table = table.astype("float64")
training = target.set_index("customer_id")["responded"].astype(int)
X_train, y_train = table.loc[training.index], training.to_numpy()


def booster() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(
        **PROPENSITY["gradient_boosting"],
        class_weight=PROPENSITY["class_weight"],
        random_state=PROPENSITY["random_state"],
    )


oof = np.zeros(len(y_train))
folds = StratifiedKFold(PROPENSITY["folds"], shuffle=True, random_state=PROPENSITY["random_state"])
for fold_train, fold_test in folds.split(X_train, y_train):
    model = booster().fit(X_train.iloc[fold_train], y_train[fold_train])
    oof[fold_test] = model.predict_proba(X_train.iloc[fold_test])[:, 1]
auc = roc_auc_score(y_train, oof)
step("propensity_oof")
final = booster().fit(X_train, y_train)
propensity = final.predict_proba(table)[:, 1]
step("propensity_final")

# ---- Outputs --------------------------------------------------------------------------
result = rfm[["recency_score", "frequency_score", "monetary_score", "rfm_cell"]].astype(str)
result = result.join(segments)
result["propensity_score"] = propensity
result["propensity_decile"] = pd.qcut(
    result["propensity_score"].rank(method="first"), 10, labels=range(10, 0, -1)
).astype(int)
result.reset_index().to_parquet(output_dir / "customer_segments.parquet")
selection.to_parquet(output_dir / "segment_model_selection.parquet")
pd.DataFrame({"customer_id": X_train.index, "has_responded": y_train, "oof_score": oof}).to_parquet(
    output_dir / "propensity_oof_predictions.parquet"
)
step("write")

print(
    json.dumps(
        {
            "customers": len(result),
            "transaction_lines": len(transactions),
            "chosen_k": chosen_k,
            "contacted": len(y_train),
            "oof_roc_auc": round(float(auc), 4),
            "steps": steps,
        }
    )
)
