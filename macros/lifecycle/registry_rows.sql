{#
    The rows a model-registry table (segment_model_registry_features, _centroids,
    _feature_bins) appends for the active model version: every row of `rows` with that
    version's model_version put first, and none when the version is already in the
    table. The registry tables are incremental with full_refresh off, so each version's
    rows are appended once and kept.
    Arguments:
        rows:          CTE or relation holding the version's rows (no model_version column).
        model_version: CTE or relation with the active version, one row and a
                       model_version column (default int_segment_model_version).
        registered:    CTE or relation of the rows appended so far, with a model_version
                       column (default: this model on an incremental run, else none).
#}
{% macro registry_rows(rows, model_version=none, registered=none) %}
    {%- if model_version is none -%}
        {%- set model_version = ref('int_segment_model_version') -%}
    {%- endif -%}
    {%- if registered is none and is_incremental() -%}
        {%- set registered = this -%}
    {%- endif -%}
    {{ return(adapter.dispatch('registry_rows', 'customer_segmentation')(
        rows, model_version, registered
    )) }}
{% endmacro %}

{% macro default__registry_rows(rows, model_version, registered) -%}
    select
        active_version.model_version,
        version_rows.*
    from {{ rows }} as version_rows
    cross join {{ model_version }} as active_version
    {%- if registered is not none %}
    where active_version.model_version not in (
        select registered.model_version from {{ registered }} as registered
    )
    {%- endif %}
{%- endmacro %}
