{#- Nearest-centroid scoring and the 2-D map position in SQL, from the fitted parameter,
    centroid and PCA loading tables, so any customer can be scored without refitting
    and on any warehouse. Wide: the parameter, centroid and loading tables are pivoted
    to one row with one column per feature (and per segment), so each customer is one
    row of arithmetic: one squared distance column per segment, the nearest, second-
    and third-nearest picked with least() and case within the row (no customer x
    segment rows, no sort, no window), each one's share (the mixture posterior), and
    each feature's term of the squared-distance gap to the runner-up (the explanation,
    ranked by int_customer_segment_explanations). The feature list comes from the
    preprocessing table (model_features), the segment ids from the centroid table
    (model_segment_ids).
    K-Means scores the customers it was fitted on (int_segmentation_population); a
    customer without a feature family the model uses gets the segment of their own
    (missing_family_segment), with no distance, confidence or map position. -#}
{%- set features = customer_segmentation.model_features() -%}
{%- set segment_ids = customer_segmentation.model_segment_ids() -%}
{%- set own_segment = customer_segmentation.missing_family_segment() -%}

with features as (

    select * from {{ ref('int_segmentation_population') }}

),

{% if own_segment -%}
families as (

    select * from {{ ref('int_customer_feature_families') }}

),

{% endif -%}

{{ customer_segmentation.segment_distances('features', features, segment_ids) }},

wide_loadings as (

    -- one row: each feature's map centre and loadings
    select
        {%- for feature in features %}
        max(case when feature_name = '{{ feature }}' and component = 1 then center end) as {{ feature }}__center,
        max(case when feature_name = '{{ feature }}' and component = 1 then loading end) as {{ feature }}__loading_x,
        max(case when feature_name = '{{ feature }}' and component = 2 then loading end) as {{ feature }}__loading_y,
        {%- endfor %}
        count(*) as loading_values
    from {{ ref('ml_segment_pca') }}

),

nearest_distances as (

    -- PCA.transform: sum over features of (scaled value - center) * loading
    select
        segment_nearest.*,
        {%- for axis in ['x', 'y'] %}
        {%- for feature in features %}
        {% if not loop.first %}+ {% endif -%}
        (segment_nearest.{{ feature }} - wide_loadings.{{ feature }}__center) * wide_loadings.{{ feature }}__loading_{{ axis }}
        {%- endfor %} as pca_{{ axis }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from segment_nearest
    cross join wide_loadings

),

nearest_segments as (

    -- the first segment at the smallest distance: ties go to the lower id
    select
        *,
        cast(case
            {%- for segment_id in segment_ids %}
            when squared_distance_{{ segment_id }} = nearest_squared_distance then {{ segment_id }}
            {%- endfor %}
        end as {{ dbt.type_bigint() }}) as segment_id
    from nearest_distances

),

second_distances as (

    -- the smallest distance among the other segments: the nearest one's own distance
    -- is replaced by the largest, which least() can only return when it ties
    select
        *,
        least(
            {%- for segment_id in segment_ids %}
            case
                when segment_id = {{ segment_id }}
                    then greatest(
                        {%- for other_id in segment_ids %}
                        squared_distance_{{ other_id }}{% if not loop.last %},{% endif %}
                        {%- endfor %}
                    )
                else squared_distance_{{ segment_id }}
            end{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as second_squared_distance
    from nearest_segments

),

second_segments as (

    -- the first other segment at that distance (ties to the lower id, as for the nearest)
    select
        *,
        cast(case
            {%- for segment_id in segment_ids %}
            when squared_distance_{{ segment_id }} = second_squared_distance and segment_id != {{ segment_id }}
                then {{ segment_id }}
            {%- endfor %}
        end as {{ dbt.type_bigint() }}) as second_segment_id
    from second_distances

),

third_distances as (

    -- the smallest distance among the segments other than those two (none when k = 2)
    select
        *,
        {%- if segment_ids | length >= 3 %}
        least(
            {%- for segment_id in segment_ids %}
            case
                when segment_id = {{ segment_id }} or second_segment_id = {{ segment_id }}
                    then greatest(
                        {%- for other_id in segment_ids %}
                        squared_distance_{{ other_id }}{% if not loop.last %},{% endif %}
                        {%- endfor %}
                    )
                else squared_distance_{{ segment_id }}
            end{% if not loop.last %},{% endif %}
            {%- endfor %}
        ) as third_squared_distance
        {%- else %}
        cast(null as {{ customer_segmentation.type_double() }}) as third_squared_distance
        {%- endif %}
    from second_segments

),

third_segments as (

    select
        *,
        cast(case
            {%- for segment_id in segment_ids %}
            when squared_distance_{{ segment_id }} = third_squared_distance
                and segment_id != {{ segment_id }} and second_segment_id != {{ segment_id }}
                then {{ segment_id }}
            {%- endfor %}
        end as {{ dbt.type_bigint() }}) as third_segment_id
    from third_distances

),

segment_spread as (

    -- the within-segment variance per standardized feature of the registered fit at the
    -- chosen k: the inertia per fit row and feature
    select
        {{ customer_segmentation.safe_divide('inertia', 'fit_rows * ' ~ (features | length)) }} as variance
    from {{ ref('ml_segment_model_selection') }}
    where is_chosen

),

likelihoods as (

    -- each segment's likelihood relative to the nearest one under the spherical
    -- Gaussian mixture K-Means fits (equal weights, that shared variance)
    select
        third_segments.*,
        {%- for segment_id in segment_ids %}
        exp(-(squared_distance_{{ segment_id }} - nearest_squared_distance) / (2 * segment_spread.variance))
            as likelihood_{{ segment_id }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from third_segments
    cross join segment_spread

),

explained as (

    -- per feature: how much it adds to the runner-up's squared distance beyond the
    -- assigned segment's; the terms sum to second minus nearest squared distance
    select
        likelihoods.*,
        {%- for feature in features %}
        {%- set first_centroid %}case likelihoods.segment_id {% for segment_id in segment_ids %}when {{ segment_id }} then segment_centroids_wide.segment_{{ segment_id }}__{{ feature }} {% endfor %}end{% endset %}
        {%- set second_centroid %}case likelihoods.second_segment_id {% for segment_id in segment_ids %}when {{ segment_id }} then segment_centroids_wide.segment_{{ segment_id }}__{{ feature }} {% endfor %}end{% endset %}
        (likelihoods.{{ feature }} - ({{ second_centroid }})) * (likelihoods.{{ feature }} - ({{ second_centroid }}))
            - (likelihoods.{{ feature }} - ({{ first_centroid }})) * (likelihoods.{{ feature }} - ({{ first_centroid }}))
            as explanation_term__{{ feature }}{% if not loop.last %},{% endif %}
        {%- endfor %}
    from likelihoods
    cross join segment_centroids_wide

),

clustered as (

    select
        customer_id,
        segment_id,
        sqrt(nearest_squared_distance) as distance,
        second_segment_id,
        sqrt(second_squared_distance) as second_distance,
        third_segment_id,
        sqrt(third_squared_distance) as third_distance,
        -- 1 at the centroid, 0 on the border with the second-nearest segment
        1 - {{ customer_segmentation.safe_divide('sqrt(nearest_squared_distance)', 'sqrt(second_squared_distance)') }}
            as confidence,
        {%- for rank, column in [('', 'segment_id'), ('second_', 'second_segment_id'), ('third_', 'third_segment_id')] %}
        case {{ column }}
            {%- for segment_id in segment_ids %}
            when {{ segment_id }} then likelihood_{{ segment_id }}
            {%- endfor %}
        end / (
            {%- for segment_id in segment_ids %}
            {% if not loop.first %}+ {% endif %}likelihood_{{ segment_id }}
            {%- endfor %}
        ) as {{ rank }}segment_share,
        {%- endfor %}
        pca_x,
        pca_y
        {%- for feature in features %},
        explanation_term__{{ feature }}
        {%- endfor %}
    from explained

),

final as (

    select * from clustered
    {%- if own_segment %}

    union all

    -- not scored by K-Means: a segment of their own, nothing measured against centroids
    select
        customer_id,
        cast({{ own_segment.segment_id }} as {{ dbt.type_bigint() }}) as segment_id,
        cast(null as {{ customer_segmentation.type_double() }}) as distance,
        cast(null as {{ dbt.type_bigint() }}) as second_segment_id,
        cast(null as {{ customer_segmentation.type_double() }}) as second_distance,
        cast(null as {{ dbt.type_bigint() }}) as third_segment_id,
        cast(null as {{ customer_segmentation.type_double() }}) as third_distance,
        cast(null as {{ customer_segmentation.type_double() }}) as confidence,
        cast(null as {{ customer_segmentation.type_double() }}) as segment_share,
        cast(null as {{ customer_segmentation.type_double() }}) as second_segment_share,
        cast(null as {{ customer_segmentation.type_double() }}) as third_segment_share,
        cast(null as {{ customer_segmentation.type_double() }}) as pca_x,
        cast(null as {{ customer_segmentation.type_double() }}) as pca_y
        {%- for feature in features %},
        cast(null as {{ customer_segmentation.type_double() }}) as explanation_term__{{ feature }}
        {%- endfor %}
    from families
    where not is_clustered
    {%- endif %}

)

select * from final
