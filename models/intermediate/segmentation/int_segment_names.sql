{#- Names each segment from the editable archetype rules (seeds/reference/segment_archetypes.csv)
    on the feature z-scores, falling back to a descriptive name from its top features.
    Rules, in order:
    1. An archetype applies only when every feature it names is profiled, so archetypes
       of a switched-off feature family (no transactions, no credit accounts) are skipped.
    2. A segment matches an archetype when every condition holds: z_score >= min_z for
       direction 'high', z_score <= -min_z for 'low' (a null z_score never holds).
       Match score: the mean of the signed z-scores (z for 'high', -z for 'low').
    3. Each segment prefers its matching archetype with the lowest priority (ties: the
       higher score, then the archetype key).
    4. When several segments prefer the same archetype, the highest score keeps it (ties:
       the lower segment id); the others get a descriptive name.
    5. Descriptive name: the two features with the largest |z_score|, e.g.
       'High credit utilization, low full payment ratio'; when two descriptive names
       collide, the three top features; when those collide too, the segment id is added.
       A segment without any z-score is 'Segment <id>'. An indicator of a categorical
       column (int_customer_category_levels.indicator_name) reads as its level: 'Mostly
       contract: Month-to-month' (above the population and held by at least half the
       segment), 'more ...' (above, by fewer), 'few ...' (below); so does a boolean
       profile column (a 1/0 feature): 'Mostly has partner'.
    The three top features (the largest |z_score|) are columns here too, for
    segment_profiles.
    The segment of its own for customers without a feature family the model uses
    (missing_family_segment, e.g. "No credit account") keeps its fixed name and
    archetype and takes no part in the rules. -#}
{%- set own_segment = customer_segmentation.missing_family_segment() -%}
{%- set own_id = own_segment.segment_id if own_segment else none %}
{%- set booleans = customer_segmentation.validated_profile_columns(var('customer_profile_columns'))
    | selectattr('type', 'equalto', 'boolean') | map(attribute='name') | list -%}

with feature_profiles as (

    select * from {{ ref('int_segment_feature_profiles') }}

),

archetypes as (

    select * from {{ ref('segment_archetypes') }}

),

segments as (

    select distinct segment_id from feature_profiles

),

profiled_features as (

    select distinct feature_name from feature_profiles

),

applicable_archetypes as (

    select archetypes.archetype
    from archetypes
    left join profiled_features
        on archetypes.feature_name = profiled_features.feature_name
    group by archetypes.archetype
    having count(*) = count(profiled_features.feature_name)

),

conditions as (

    select
        feature_profiles.segment_id,
        archetypes.archetype,
        archetypes.segment_name,
        archetypes.priority,
        archetypes.min_z,
        case
            when archetypes.direction = 'high' then feature_profiles.z_score
            when archetypes.direction = 'low' then -feature_profiles.z_score
        end as signed_z
    from archetypes
    inner join applicable_archetypes
        on archetypes.archetype = applicable_archetypes.archetype
    inner join feature_profiles
        on archetypes.feature_name = feature_profiles.feature_name
    {%- if own_segment %}
    where feature_profiles.segment_id != {{ own_id }}
    {%- endif %}

),

matches as (

    select
        segment_id,
        archetype,
        segment_name,
        priority,
        avg(signed_z) as match_score
    from conditions
    group by segment_id, archetype, segment_name, priority
    having sum(case when signed_z >= min_z then 1 else 0 end) = count(*)

),

preferred as (

    select
        *,
        row_number() over (
            partition by segment_id order by priority asc, match_score desc, archetype asc
        ) as preference_rank
    from matches

),

awarded as (

    select
        *,
        row_number() over (
            partition by archetype order by match_score desc, segment_id asc
        ) as award_rank
    from preferred
    where preference_rank = 1

),

top_features as (

    select
        segment_id,
        {%- for rank in [1, 2, 3] %}
        max(case when distinction_rank = {{ rank }} then feature_name end) as top_feature_{{ rank }},
        max(case when distinction_rank = {{ rank }} then z_score end) as top_feature_{{ rank }}_z_score,
        max(case when distinction_rank = {{ rank }} then mean_value end) as top_feature_{{ rank }}_mean
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    from feature_profiles
    group by segment_id

),

indicators as (

    -- the 0/1 columns of categorical segmentation features, read as their level
    select distinct
        indicator_name,
        column_name,
        model_level
    from {{ ref('int_customer_category_levels') }}

),

described as (

    select
        top_features.segment_id
        {%- for rank in [1, 2, 3] %}
        {%- set first = rank == 1 %},
        case
            {%- if booleans %}
            when top_feature_{{ rank }} in ('{{ booleans | join("', '") }}') then {{ dbt.concat([
                "case when top_feature_" ~ rank ~ "_z_score <= 0 then '" ~ ('Few ' if first else ', few ')
                    ~ "' when top_feature_" ~ rank ~ "_mean >= 0.5 then '" ~ ('Mostly ' if first else ', mostly ')
                    ~ "' else '" ~ ('More ' if first else ', more ') ~ "' end",
                "replace(top_feature_" ~ rank ~ ", '_', ' ')",
            ]) }}
            {%- endif %}
            when indicator_{{ rank }}.indicator_name is not null then {{ dbt.concat([
                "case when top_feature_" ~ rank ~ "_z_score <= 0 then '" ~ ('Few ' if first else ', few ')
                    ~ "' when top_feature_" ~ rank ~ "_mean >= 0.5 then '" ~ ('Mostly ' if first else ', mostly ')
                    ~ "' else '" ~ ('More ' if first else ', more ') ~ "' end",
                "replace(indicator_" ~ rank ~ ".column_name, '_', ' ')",
                "': '",
                "indicator_" ~ rank ~ ".model_level",
            ]) }}
            else {{ dbt.concat([
                "case when top_feature_" ~ rank ~ "_z_score > 0 then '" ~ ('High ' if first else ', high ')
                    ~ "' else '" ~ ('Low ' if first else ', low ') ~ "' end",
                "replace(top_feature_" ~ rank ~ ", '_', ' ')",
            ]) }}
        end as name_{{ rank }}
        {%- endfor %}
    from top_features
    {%- for rank in [1, 2, 3] %}
    left join indicators as indicator_{{ rank }}
        on top_features.top_feature_{{ rank }} = indicator_{{ rank }}.indicator_name
    {%- endfor %}

),

unnamed as (

    select
        segments.segment_id,
        {{ dbt.concat(['described.name_1', "coalesce(described.name_2, '')"]) }} as two_feature_name,
        {{ dbt.concat([
            'described.name_1',
            "coalesce(described.name_2, '')",
            "coalesce(described.name_3, '')",
        ]) }} as three_feature_name
    from segments
    left join described
        on segments.segment_id = described.segment_id
    left join awarded
        on segments.segment_id = awarded.segment_id
        and awarded.award_rank = 1
    where awarded.segment_id is null
    {%- if own_segment %}
        and segments.segment_id != {{ own_id }}
    {%- endif %}

),

descriptive as (

    select
        segment_id,
        two_feature_name,
        three_feature_name,
        count(*) over (partition by two_feature_name) as two_feature_uses,
        count(*) over (partition by three_feature_name) as three_feature_uses
    from unnamed

),

final as (

    select
        segments.segment_id,
        coalesce(
            {%- if own_segment %}
            case when segments.segment_id = {{ own_id }} then '{{ own_segment.segment_name }}' end,
            {%- endif %}
            awarded.segment_name,
            case
                when descriptive.two_feature_name is null then null
                when descriptive.two_feature_uses = 1 then descriptive.two_feature_name
                when descriptive.three_feature_uses = 1 then descriptive.three_feature_name
                else {{ dbt.concat([
                    'descriptive.three_feature_name',
                    "' (segment '",
                    dbt.safe_cast('segments.segment_id', dbt.type_string()),
                    "')'",
                ]) }}
            end,
            {{ dbt.concat(["'Segment '", dbt.safe_cast('segments.segment_id', dbt.type_string())]) }}
        ) as segment_name,
        {%- if own_segment %}
        case when segments.segment_id = {{ own_id }} then '{{ own_segment.archetype }}' else awarded.archetype end
            as archetype,
        case
            when segments.segment_id = {{ own_id }} then 'missing_family'
            when awarded.archetype is null then 'descriptive'
            else 'archetype'
        end as name_source,
        {%- else %}
        awarded.archetype,
        case when awarded.archetype is null then 'descriptive' else 'archetype' end as name_source,
        {%- endif %}
        awarded.match_score,
        {%- for rank in [1, 2, 3] %}
        top_features.top_feature_{{ rank }},
        top_features.top_feature_{{ rank }}_z_score{% if not loop.last %},{% endif %}
        {%- endfor %}
    from segments
    left join awarded
        on segments.segment_id = awarded.segment_id
        and awarded.award_rank = 1
    left join descriptive
        on segments.segment_id = descriptive.segment_id
    left join top_features
        on segments.segment_id = top_features.segment_id

)

select * from final
