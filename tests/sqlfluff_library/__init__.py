"""Stand-ins for dbt's Jinja context so sqlfluff can render models without a database.

sqlfluff's jinja templater exposes every top-level name of this package to the
templates. The stand-ins return plain SQL of the right shape (DuckDB dialect), read
vars from dbt_project.yml, and treat every optional input as present, so the linted
SQL is the demo build's SQL.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml

_PROJECT = yaml.safe_load((Path(__file__).resolve().parents[2] / "dbt_project.yml").read_text())
_VARS: dict[str, Any] = _PROJECT["vars"]

_CONTRACT = {
    "customers": {
        "required": ["customer_id"],
        # the names of customer_profile_columns, a list or a mapping of name to type
        "optional": [
            "gender",
            "birth_date",
            "age",
            "marital_status",
            "has_marketing_consent",
            *_VARS["customer_profile_columns"],
        ],
        "extra_protected": [],
        # one categorical column, so the category models lint with a column to read
        "categorical": ["preferred_channel"],
    },
    "transactions": {
        "required": ["customer_id", "transacted_at", "amount"],
        "optional": ["order_id", "quantity", "unit_price", "is_refund"],
    },
    "credit_accounts": {
        "required": ["customer_id", "balance", "credit_limit", "purchases", "cash_advance"],
        "optional": ["payments", "minimum_payments", "full_payment_ratio"],
    },
    "campaign_responses": {
        "required": ["customer_id", "campaign_id", "contacted_at", "responded"],
        "optional": [],
    },
}
# one typed column per input (input_contract 'typed'), as the base models check them
_TYPED = {
    "customers": ("birth_date", "date", "birth_date", "unreadable_date"),
    "transactions": ("amount", "number", "amount", "non_numeric_amount"),
    "credit_accounts": ("balance", "number", "balance", "unreadable_number"),
    "campaign_responses": ("contacted_at", "date", "contacted_date", "invalid_contacted_at"),
}
for _name, (_column, _kind, _as, _rule) in _TYPED.items():
    _CONTRACT[_name]["typed"] = [{"column": _column, "kind": _kind, "as": _as, "rule": _rule}]

execute = True


def run_query(sql: str) -> SimpleNamespace:
    """Two feature rows (or columns), the shape of every query models run at compile time."""
    return SimpleNamespace(
        rows=[("recency_days",), ("frequency",)],
        column_names=["customer_id", "recency_days", "frequency"],
        columns=[SimpleNamespace(values=lambda: ["recency_days", "frequency"])],
    )


def load_relation(relation: str) -> None:
    """No database while linting: no relation exists yet."""
    return None


target = SimpleNamespace(name="dev", schema="main", database="lint", type="duckdb")

# every base model holds the <column>_unreadable of its typed column
adapter = SimpleNamespace(
    get_columns_in_relation=lambda relation: [
        SimpleNamespace(name=f"{column}_unreadable") for column, *_ in _TYPED.values()
    ]
)


class _Identity(dict):
    """Maps every contract column to itself (a fully mapped input)."""

    def __missing__(self, key: str) -> str:
        return key

    def __getattr__(self, key: str) -> str:
        return key


def var(name: str, default: Any = None) -> Any:
    return _VARS.get(name, default)


def ref(name: str, *_: Any, **__: Any) -> str:
    return name


def source(source_name: str, table_name: str) -> str:
    return f"{source_name}_{table_name}"


class _Config:
    """config(...) in a model, and config.get(key) (nothing configured)."""

    def __call__(self, *_: Any, **__: Any) -> str:
        return ""

    def get(self, key: str, default: Any = None) -> Any:
        return default


config = _Config()


def doc(name: str) -> str:
    return name


def _raise(message: str) -> None:
    raise RuntimeError(message)


exceptions = SimpleNamespace(raise_compiler_error=_raise, warn=lambda message: "")

dbt = SimpleNamespace(
    type_string=lambda: "varchar",
    type_float=lambda: "double",
    type_int=lambda: "integer",
    type_bigint=lambda: "bigint",
    type_numeric=lambda: "numeric",
    type_boolean=lambda: "boolean",
    type_timestamp=lambda: "timestamp",
    concat=lambda fields: " || ".join(fields),
    safe_cast=lambda field, data_type: f"cast({field} as {data_type})",
    dateadd=lambda part, amount, expression: f"{expression} + interval {amount} {part}",
    datediff=lambda first, second, part: f"date_diff('{part}', {first}, {second})",
    bool_or=lambda expression: f"bool_or({expression})",
    listagg=lambda measure, delimiter, order_by=None, limit=None: (
        f"string_agg({measure}, {delimiter} {order_by or ''})"
    ),
    current_timestamp=lambda: "now()",
    hash=lambda field: f"md5(cast({field} as varchar))",
    date_spine=lambda datepart, start_date, end_date: (
        f"select {start_date} + to_days(cast(range as integer)) as date_{datepart} "
        "from range(0, 18628)"
    ),
)

# ---- the registered propensity model (int_propensity_design, _log_odds, _scores) ----
_MODEL_ROWS = {
    "constant": [
        {
            "served_model": "blend",
            "logistic_weight": "0.5",
            "tree_baseline": "-1.2",
            "intercept": "0.3",
            "log_odds_shift": "-0.4",
        }
    ],
    "column": [
        {
            "feature_name": "recency_days",
            "feature_group": "recency_days",
            "feature_position": 1,
            "is_categorical": False,
            "log1p": "log1p",
            "impute_value": "30.0",
            "center": "2.1",
            "scale": "0.9",
            "coefficient": "-0.2",
        },
        {
            "feature_name": "preferred_channel",
            "feature_group": "preferred_channel",
            "feature_position": 2,
            "is_categorical": True,
        },
        {
            "feature_name": "segment_1",
            "feature_group": "segment_id",
            "feature_position": 3,
            "is_categorical": False,
            "log1p": "none",
            "impute_value": "0.0",
            "center": "0.5",
            "scale": "0.5",
            "coefficient": "0.1",
        },
    ],
    "level": [
        {
            "feature_name": "preferred_channel",
            "level": "email",
            "level_code": "0.0",
            "coefficient": "0.2",
        },
        {
            "feature_name": "preferred_channel",
            "level": "other",
            "level_code": "1.0",
            "coefficient": "-0.2",
        },
    ],
    "tree_node": [],
}


def _model_rows(part: str, columns: list[str], numbers: list[str] | None = None) -> list[dict]:
    return [{column: row.get(column) for column in columns} for row in _MODEL_ROWS[part]]


def _segment_distances(features: str, model_features: list, segment_ids: list) -> str:
    scaled = ",\n        ".join(f"scored.{name}" for name in model_features)
    distances = ",\n        ".join(
        f"scored.{model_features[0]} * {segment_id} as squared_distance_{segment_id}"
        for segment_id in segment_ids
    )
    nearest = ", ".join(f"squared_distance_{segment_id}" for segment_id in segment_ids)
    return (
        f"segment_nearest as (\n\n    select\n        scored.customer_id,\n        {scaled},\n"
        f"        {distances},\n        least({nearest}) as nearest_squared_distance\n"
        f"    from {features} as scored\n\n)"
    )


customer_segmentation = SimpleNamespace(
    segment_distances=_segment_distances,
    registered_versions=lambda: (
        "registered as (\n\n    select\n        model_version,\n        fitted_at\n"
        "    from this\n\n),\n\nlatest as (\n\n    select registered.model_version\n"
        "    from registered\n\n)"
    ),
    propensity_model_rows=_model_rows,
    large_expression_settings=lambda reset=False: "",
    double_literal=lambda text: f"({text}e0)",
    expit=lambda log_odds: f"(1 / (1 + exp(-({log_odds}))))",
    logistic_scaled_value=lambda value, column: (
        f"((coalesce({value}, 0e0) - {column['center']}e0) / {column['scale']}e0)"
    ),
    logistic_level_term=lambda code, levels: f"case when {code} = 0e0 then 0.2e0 else 0e0 end",
    propensity_tree_value=lambda nodes, column_sql: (
        "case when coalesce(recency_days <= 10e0, true) then 0.1e0 else -0.1e0 end"
    ),
    input_relation=lambda name: f"demo_{name}",
    input_is_enabled=lambda name: True,
    propensity_is_enabled=lambda: True,
    propensity_outcome=lambda: {
        "source": "campaign_responses",
        "column": None,
        "name": "campaign response",
        "direction": "favourable",
    },
    input_contract=lambda name: _CONTRACT[name],
    input_columns=lambda name: _Identity(),
    input_source_columns=lambda name: ["source_column"],
    input_rows_counted=lambda name: (
        f"select *, count(*) as row_copies from demo_{name} group by all"
    ),
    assert_unique_key=lambda *args: "",
    try_cast=lambda expression, data_type: f"try_cast({expression} as {data_type})",
    percentile=lambda expression, fraction: (
        f"percentile_cont({fraction}) within group (order by {expression})"
    ),
    type_double=lambda: "double",
    average_rank=lambda order_by, partition_by: (
        f"rank() over (partition by {partition_by} order by {order_by})"
        f" + (count(*) over (partition by {partition_by}, {order_by}) - 1) / 2.0"
    ),
    safe_divide=lambda numerator, denominator: (
        f"cast({numerator} as double) / nullif({denominator}, 0)"
    ),
    identifier_slug=lambda expression: (
        f"trim(regexp_replace(lower({expression}), '[^a-z0-9]+', '_', 'g'), '_')"
    ),
    scaled_feature=lambda value, params: (
        f"(coalesce({value}, {params}.impute_value) - {params}.mean) / {params}.std_dev"
    ),
    customer_rfm_values=lambda transactions, customers, reference_date: (
        f"select {customers}.customer_id, {reference_date}.as_of_date as recency_days "
        f"from {customers} cross join {reference_date} "
        f"where {customers}.customer_id in (select {transactions}.customer_id from {transactions})"
    ),
    age_band=lambda expression, edges=None: f"case when {expression} is null then 'unknown' end",
    feature_columns=lambda: ["recency_days", "monetary_total"],
    model_features=lambda: ["recency_days", "monetary_total"],
    model_segment_ids=lambda: [1, 2, 3],
    model_feature_bin_count=lambda: 3,
    percentile_in_set=lambda expression, fraction, fractions: (
        f"percentile_cont({fraction}) within group (order by {expression})"
    ),
    standardized_value=lambda value, transform, impute_value, mean, std_dev: (
        f"(coalesce({value}, {impute_value}) - {mean}) / {std_dev}"
    ),
    population_stability_term=lambda actual, expected, epsilon: (
        f"(greatest({actual}, {epsilon}) - greatest({expected}, {epsilon})) "
        f"* ln(greatest({actual}, {epsilon}) / greatest({expected}, {epsilon}))"
    ),
    registry_rows=lambda rows, model_version="int_segment_model_version", registered="this": (
        f"select active_version.model_version, version_rows.* from {rows} as version_rows "
        f"cross join {model_version} as active_version where active_version.model_version "
        f"not in (select registered.model_version from {registered} as registered)"
    ),
)

# ---- fairness and audit marts (segment_fairness, proxy_check, run_manifest) ----
_PROTECTED = _VARS["protected_attributes"]
_FAIRNESS_SETS = [{"name": name, "columns": [name]} for name in _PROTECTED] + [
    {"name": f"{first} x {second}", "columns": [first, second]}
    for index, first in enumerate(_PROTECTED)
    for second in _PROTECTED[index + 1 :]
]


def _protected_groups(relation: str, attribute_sets: list[dict]) -> str:
    return " union all ".join(
        f"select customer_id, '{attribute_set['name']}' as attribute_name, "
        f"cast({attribute_set['columns'][0]} as varchar) as group_name, "
        "false as is_intersection "
        f"from {relation}"
        for attribute_set in attribute_sets
    )


customer_segmentation.fairness_attribute_sets = lambda include_intersections=True: (
    _FAIRNESS_SETS if include_intersections else _FAIRNESS_SETS[: len(_PROTECTED)]
)
customer_segmentation.protected_groups = _protected_groups
customer_segmentation.wilson_interval_bound = lambda successes, trials, bound, z=1.96: (
    f"({successes} + 1.92) / ({trials} + 3.84)"
)
customer_segmentation.normal_quantile = lambda probability: f"sqrt(-2 * ln({probability}))"
customer_segmentation.difference_interval_bound = lambda e1, l1, u1, e2, l2, u2, bound: (
    f"({e1} - {e2} - sqrt(({e1} - {l1}) * ({e1} - {l1}) + ({u2} - {e2}) * ({u2} - {e2})))"
)
customer_segmentation.ratio_interval_upper_bound = lambda e1, l1, u1, e2, l2, u2: (
    f"({e1} * {e2} + {u1}) / nullif({l2}, 0)"
)
customer_segmentation.fairness_flag_settings = lambda: {
    "rule": _VARS["fairness_flag_rule"],
    "confidence_level": _VARS["fairness_confidence_level"],
    "correction": _VARS["fairness_multiple_comparisons"],
    "text": _VARS["fairness_flag_rule"],
}
customer_segmentation.fairness_comparison_level = lambda comparisons: (
    f"1 - {1 - _VARS['fairness_confidence_level']} / {comparisons}"
)


def _fairness_flag(estimate, lower, upper, below=None, above=None, no_difference=0) -> str:
    bound = lower or upper
    return f"coalesce({estimate} > {above or 0} and {bound} > {no_difference}, false)"


def _fairness_flag_reason(flag, figure, estimate, lower, upper, level, threshold) -> str:
    return f"case when {flag} then 'flagged: {figure}' else cast({estimate} as varchar) end"


customer_segmentation.fairness_flag = _fairness_flag
customer_segmentation.fairness_flag_reason = _fairness_flag_reason
customer_segmentation.unordered_hash = lambda relation, columns=None, float_digits=None: (
    "md5(cast(sum(cast(hash(1) as hugeint)) as varchar))"
)
customer_segmentation.run_configuration = lambda var_names, exclude_nodes=(): {
    "vars": {},
    "model_meta": {},
    "random_seeds": {},
}
dbt.hash = lambda field: f"md5(cast({field} as varchar))"
model = SimpleNamespace(name="run_manifest", config=SimpleNamespace(meta={}))
invocation_id = "00000000-0000-0000-0000-000000000000"
run_started_at = datetime.datetime(2026, 1, 1)
dbt_version = "1.11.0"


def tojson(value: Any, default: Any = None, sort_keys: bool = False) -> str:
    return json.dumps(value, sort_keys=sort_keys)


def local_md5(value: str) -> str:
    return hashlib.md5(value.encode()).hexdigest()


customer_segmentation.assert_protected_attributes_mapped = lambda columns: ""

# the var checks return the value they were given (dbt_project.yml's values are valid)
customer_segmentation.validated_number = lambda value, setting, *args, **kwargs: value
customer_segmentation.validated_date = lambda value, setting: value
customer_segmentation.validated_text = lambda value, setting, expected, allow_none=False: value
customer_segmentation.validated_identifiers = lambda names, setting: names
customer_segmentation._shown = lambda value: str(value)
customer_segmentation.input_typed_columns = lambda name, columns: [
    {
        "column": "amount",
        "kind": "number",
        "as": "amount",
        "rule": "non_numeric_amount",
        "expression": "amount",
        "format": None,
        "checked": True,
    },
]


def _profile_columns(value: Any, setting: str | None = None) -> list[dict]:
    """validated_profile_columns: a list means numbers; a mapping gives each a type."""
    if not isinstance(value, dict):
        return [{"name": name, "type": "number", "levels": None} for name in value]
    columns = []
    for name, given in value.items():
        spec = given if isinstance(given, dict) else {"type": given}
        levels = [str(level).strip() for level in spec.get("levels") or []] or None
        columns.append({"name": name, "type": spec["type"].lower(), "levels": levels})
    return columns


customer_segmentation.validated_profile_columns = _profile_columns
customer_segmentation.validated_feature_roles = lambda: {
    name: _VARS.get(name)
    for name in (
        "segment_features",
        "segment_exclude_features",
        "propensity_features",
        "propensity_exclude_features",
    )
}
# a numeric and the categorical feature, so proxy_check lints both of its paths
customer_segmentation.propensity_feature_names = lambda: [
    "recency_days",
    "annual_income",
    "preferred_channel",
]
graph = SimpleNamespace(
    nodes={
        "model.int_propensity_features": {
            "resource_type": "model",
            "name": "int_propensity_features",
        }
    }
)
customer_segmentation.input_typed_value = lambda expression, kind, format=None, levels=None: (
    f"try_cast({expression} as double)"
)
customer_segmentation.unreadable_value = lambda typed, given: (
    f"case when {typed} is null and {given} is not null then cast({given} as varchar) end"
)
customer_segmentation.quoted_value_range = lambda smallest, largest: (
    f"case when {smallest} is null then null else cast({smallest} as varchar) end"
)
customer_segmentation.assert_input_readable = lambda relation, name: ""
customer_segmentation.assert_as_of_date_found = lambda relation: ""
customer_segmentation.generate_schema_name = lambda custom_schema_name, node: (
    custom_schema_name.strip() if custom_schema_name else target.schema
)
project_name = "customer_segmentation"


this = "main.this_model"


def is_incremental() -> bool:
    """Lint the incremental branch of incremental models (it holds every CTE)."""
    return True


# ---- publishing (mart_inventory): checks that render no SQL ----
customer_segmentation.assert_marts_listed = lambda marts, exclude=(): ""
customer_segmentation.assert_marts_selected = lambda marts: ""

# ---- credit accounts: a full card table (every total and ratio present) ----
# the demo has no extra columns (var credit_account_extra_columns: {})
customer_segmentation.credit_account_extra_columns = lambda: []
customer_segmentation.credit_account_features = lambda columns=None: {
    "aggregated": [
        {"column": "balance", "aggregate": "sum"},
        {"column": "purchases", "aggregate": "sum"},
        {"column": "full_payment_ratio", "aggregate": "avg"},
    ],
    "derived": [
        {"name": "credit_utilization", "numerator": "balance", "denominator": "credit_limit"},
        {
            "name": "cash_advance_share",
            "numerator": "cash_advance",
            "denominator": "purchases + cash_advance",
        },
    ],
    "features": ["balance", "credit_limit", "credit_utilization"],
}

# ---- the segment of its own for customers without a feature family (the demo's) ----
customer_segmentation.missing_family_segment = lambda: {
    "segment_id": 0,
    "segment_name": "No credit account",
    "archetype": "no_credit_account",
    "family": "credit_accounts",
    "flag": "has_credit_account",
}
customer_segmentation.registry_incremental_strategy = lambda: "delete+insert"


def _unpivot_wide(relation: str, items: list[str], columns: list[list[str]]) -> str:
    selected = ",\n        ".join(
        f"{expression.replace('{item}', 'x').replace('{index}', '1')} as {name}"
        for name, expression in columns
    )
    return f"select\n        {selected}\n    from {relation}"


customer_segmentation.unpivot_wide = _unpivot_wide
