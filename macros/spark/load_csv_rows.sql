{#- Seeds on Spark. dbt-spark 1.11's session cursor quotes bound values without escaping
    them (an apostrophe breaks the insert) and writes null as the text 'None', and its
    inserts of literal rows take minutes for the demo's 100k transaction lines. A local
    session (method: session) reads the CSV file itself and casts each column to the
    seed's type; another Spark (thrift, http) gets the rows as escaped literals. -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- if adapter.config.credentials.method == 'session' -%}
        {{ return(customer_segmentation.spark_load_csv_file(model, agate_table, types)) }}
    {%- endif -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set rows = [] -%}
        {%- for row in chunk -%}
            {%- set values = [] -%}
            {%- for value in row -%}
                {%- if value is none -%}{%- set literal = 'null' -%}
                {%- elif value is sameas true or value is sameas false -%}{%- set literal = value | string | lower -%}
                {%- elif value is number -%}{%- set literal = value | string -%}
                {%- else -%}{%- set literal = "'" ~ (value | string).replace('\\', '\\\\').replace("'", "\\'") ~ "'" -%}
                {%- endif -%}
                {%- do values.append('cast(' ~ literal ~ ' as ' ~ types[loop.index0] ~ ')') -%}
            {%- endfor -%}
            {%- do rows.append('(' ~ values | join(', ') ~ ')') -%}
        {%- endfor -%}
        {%- set sql = 'insert into ' ~ this.render() ~ ' values ' ~ rows | join(', ') -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- do statements.append(sql) if loop.first -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- The seed's CSV file read by the local session: every field as text (empty: null),
    then cast to the column's type. -#}
{% macro spark_load_csv_file(model, agate_table, types) %}
    {%- set path = (model.root_path ~ '/' ~ model.original_file_path) | replace('\\', '/') -%}
    {%- set view = this.identifier ~ '__dbt_csv' -%}
    {%- do adapter.add_query(
        'create or replace temporary view ' ~ view ~ " using csv options (path '"
        ~ path | replace("'", "\\'") ~ "', header 'true', inferSchema 'false', multiLine 'true', escape '\"', "
        ~ "mode 'FAILFAST', enforceSchema 'false')",
        abridge_sql_log=True
    ) -%}
    {%- set selected = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do selected.append('cast(`' ~ column_name ~ '` as ' ~ types[loop.index0] ~ ')') -%}
    {%- endfor -%}
    {%- set sql = 'insert into ' ~ this.render() ~ ' select ' ~ selected | join(', ') ~ ' from ' ~ view -%}
    {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
    {%- do adapter.add_query('drop view ' ~ view, abridge_sql_log=True) -%}
    {{ return(sql) }}
{% endmacro %}
