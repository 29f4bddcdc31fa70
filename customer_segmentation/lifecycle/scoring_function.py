"""The segment scoring function published with the marts: a DuckDB table macro that
scores any table of customers' features with the active segmentation model, reading the
published registry tables when it is called (so it is always the active version's).

DuckDB only (``create macro ... as table``, ``query_table``, ``unpivot``), like the
published file itself. DuckDB resolves a macro's tables where it is called, so they are
named with the marts' schema. It gives what customer_segments gives a customer K-Means
scores (segment and name, the three nearest segments, distances, confidence, shares and
the explanation), summed in another order (equal to rounding). Usage, on the published
database: ``select * from marts.score_segments('new_customers')``, where ``new_customers``
holds ``customer_id`` and the model's features in their original units (segment_centroids
lists them; a null is imputed as in the build).
"""

from __future__ import annotations

DEFINITION = """
create or replace macro {schema}score_segments(customers) as table
with active as (
    select model_version
    from {marts}.segment_model_registry
    order by activated_at desc
    limit 1
),
model_features as (
    select features.*
    from {marts}.segment_model_registry_features as features
    inner join active on features.model_version = active.model_version
    where not features.is_dropped
),
centroids as (
    select centroids.*
    from {marts}.segment_model_registry_centroids as centroids
    inner join active on centroids.model_version = active.model_version
),
spread as (
    select inertia / (fit_rows * (select count(*) from model_features)) as variance
    from {marts}.segment_model_selection
    where is_chosen
),
given as (
    unpivot (select * from query_table(customers))
    on columns(* exclude (customer_id))
    into name feature_name value feature_value
),
scored_customers as (
    select distinct customer_id from query_table(customers)
),
scaled as (
    select
        scored_customers.customer_id,
        model_features.feature_name,
        model_features.feature_position,
        (
            case
                when model_features.transform = 'log1p'
                    then sign(coalesce(given.feature_value, model_features.impute_value))
                        * ln(1 + abs(coalesce(given.feature_value, model_features.impute_value)))
                else coalesce(given.feature_value, model_features.impute_value)
            end - model_features.mean
        ) / model_features.std_dev as scaled_value
    from scored_customers
    cross join model_features
    left join given
        on given.customer_id = scored_customers.customer_id
        and given.feature_name = model_features.feature_name
),
distances as (
    select
        scaled.customer_id,
        centroids.segment_id,
        sum((scaled.scaled_value - centroids.centroid_scaled) ** 2) as squared_distance
    from scaled
    inner join centroids on scaled.feature_name = centroids.feature_name
    group by scaled.customer_id, centroids.segment_id
),
ranked as (
    select
        distances.*,
        row_number() over (
            partition by customer_id order by squared_distance, segment_id
        ) as segment_rank,
        exp(
            -(squared_distance - min(squared_distance) over (partition by customer_id))
            / (2 * spread.variance)
        ) as likelihood
    from distances
    cross join spread
),
shared as (
    select
        *,
        likelihood / sum(likelihood) over (partition by customer_id) as segment_share
    from ranked
),
nearest as (
    select
        customer_id,
        max(case when segment_rank = 1 then segment_id end) as segment_id,
        sqrt(max(case when segment_rank = 1 then squared_distance end)) as distance,
        max(case when segment_rank = 1 then segment_share end) as segment_share,
        max(case when segment_rank = 2 then segment_id end) as second_segment_id,
        sqrt(max(case when segment_rank = 2 then squared_distance end)) as second_distance,
        max(case when segment_rank = 2 then segment_share end) as second_segment_share,
        max(case when segment_rank = 3 then segment_id end) as third_segment_id,
        sqrt(max(case when segment_rank = 3 then squared_distance end)) as third_distance,
        max(case when segment_rank = 3 then segment_share end) as third_segment_share
    from shared
    group by customer_id
),
terms as (
    select
        scaled.customer_id,
        scaled.feature_name,
        scaled.feature_position,
        (scaled.scaled_value - second.centroid_scaled) ** 2
            - (scaled.scaled_value - first.centroid_scaled) ** 2 as contribution
    from scaled
    inner join nearest on scaled.customer_id = nearest.customer_id
    inner join centroids as first
        on first.segment_id = nearest.segment_id and first.feature_name = scaled.feature_name
    inner join centroids as second
        on second.segment_id = nearest.second_segment_id
        and second.feature_name = scaled.feature_name
),
explained as (
    select
        customer_id,
        feature_name,
        contribution,
        row_number() over (
            partition by customer_id order by contribution desc, feature_position
        ) as explanation_rank
    from terms
    where contribution > 0
),
explanations as (
    select
        customer_id,
        max(case when explanation_rank = 1 then feature_name end) as explanation_1_feature,
        max(case when explanation_rank = 1 then contribution end) as explanation_1_contribution,
        max(case when explanation_rank = 2 then feature_name end) as explanation_2_feature,
        max(case when explanation_rank = 2 then contribution end) as explanation_2_contribution,
        max(case when explanation_rank = 3 then feature_name end) as explanation_3_feature,
        max(case when explanation_rank = 3 then contribution end) as explanation_3_contribution
    from explained
    where explanation_rank <= 3
    group by customer_id
)
select
    nearest.customer_id,
    nearest.segment_id,
    profiles.segment_name,
    nearest.distance,
    nearest.second_segment_id,
    nearest.second_distance,
    nearest.third_segment_id,
    nearest.third_distance,
    1 - nearest.distance / nullif(nearest.second_distance, 0) as confidence,
    nearest.segment_share,
    nearest.second_segment_share,
    nearest.third_segment_share,
    explanations.explanation_1_feature,
    explanations.explanation_1_contribution,
    explanations.explanation_2_feature,
    explanations.explanation_2_contribution,
    explanations.explanation_3_feature,
    explanations.explanation_3_contribution
from nearest
inner join {marts}.segment_profiles as profiles on nearest.segment_id = profiles.segment_id
left join explanations on nearest.customer_id = explanations.customer_id
order by nearest.customer_id
"""


def definition(schema: str = "", marts: str = "marts") -> str:
    """The ``create macro`` statement, in ``schema`` (e.g. ``"alias.marts."``) or the
    current one, reading the registry and marts of schema ``marts``."""
    return DEFINITION.format(schema=schema, marts=marts)
