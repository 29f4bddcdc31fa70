{#- One row per public mart this build made: the set published_marts copies to the
    published database. dbt finds dependencies only in literal refs, so the marts are
    listed here; at execution the list is checked against every enabled mart of the
    project, so a new mart cannot be left out of the publication. -#}
{%- set marts = [
    'customer_category_levels', 'customer_segments', 'data_quality', 'feature_drift', 'proxy_check', 'run_manifest',
    'segment_category_profiles', 'segment_centroids', 'segment_fairness', 'segment_fairness_summary',
    'segment_feature_profiles', 'segment_identity_matches', 'segment_map_loadings',
    'segment_migration', 'segment_model_registry', 'segment_model_registry_centroids',
    'segment_model_registry_feature_bins', 'segment_model_registry_features',
    'segment_model_selection', 'segment_profiles', 'segment_recommendations',
] -%}
{%- if customer_segmentation.propensity_is_enabled() -%}
    {%- do marts.extend([
        'campaign_targets', 'propensity_fairness', 'propensity_lift', 'propensity_metrics',
        'propensity_model_registry', 'propensity_model_registry_parameters', 'propensity_scores',
    ]) -%}
{%- endif -%}
{{- customer_segmentation.assert_marts_listed(marts, exclude=[model.name]) -}}
{{- customer_segmentation.assert_marts_selected(marts) -}}

with
{%- for mart in marts | sort %}

{{ mart }}_rows as (

    select
        '{{ mart }}' as mart_name,
        count(*) as row_count
    from {{ ref(mart) }}

),
{%- endfor %}

marts as (

    {%- for mart in marts | sort %}
    select * from {{ mart }}_rows
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

final as (

    select
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as run_id,
        cast(mart_name as {{ dbt.type_string() }}) as mart_name,
        cast(row_count as {{ dbt.type_bigint() }}) as row_count
    from marts

)

select * from final
