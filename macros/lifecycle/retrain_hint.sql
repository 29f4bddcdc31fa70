{#
    How to fit a new segmentation version, as every message that asks for one says it
    (the Python library's lifecycle.RETRAIN_HINT, tested equal): dbt reads one --vars
    (a second replaces the first), so a user with a vars file adds segment_mode to it.
    Arguments: none.
#}
{% macro retrain_hint() %}
    {{ return(adapter.dispatch('retrain_hint', 'customer_segmentation')()) }}
{% endmacro %}

{% macro default__retrain_hint() %}
    {{ return("add `segment_mode: retrain` to the vars you build with (your --vars file or string; `--vars '{segment_mode: retrain}'` only when you pass no other vars), run `dbt build` once, then remove it so that later builds score with the new version") }}
{% endmacro %}
