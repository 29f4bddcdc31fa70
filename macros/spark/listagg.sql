{#- dbt-spark's listagg drops the order by (it warns and collects in any order), which
    would make the lists in segment_profiles, segment_recommendations and data_quality
    differ from build to build: this one sorts the collected values by the order by
    keys (ascending or desc; the keys must not be null) before joining them. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- set keys = [] -%}
    {%- if order_by_clause -%}
        {%- set clause = modules.re.sub('(?i)^\\s*order\\s+by\\s+', '', order_by_clause) -%}
        {#- split on the commas outside parentheses and quotes -#}
        {%- set split = namespace(parts=[], current='', depth=0, quoted=false) -%}
        {%- for character in clause -%}
            {%- if character == "'" -%}{%- set split.quoted = not split.quoted -%}{%- endif -%}
            {%- if not split.quoted and character == '(' -%}{%- set split.depth = split.depth + 1 -%}{%- endif -%}
            {%- if not split.quoted and character == ')' -%}{%- set split.depth = split.depth - 1 -%}{%- endif -%}
            {%- if character == ',' and split.depth == 0 and not split.quoted -%}
                {%- set split.parts = split.parts + [split.current] -%}
                {%- set split.current = '' -%}
            {%- else -%}
                {%- set split.current = split.current ~ character -%}
            {%- endif -%}
        {%- endfor -%}
        {%- for part in split.parts + [split.current] -%}
            {%- set words = part.strip().split() -%}
            {%- set direction = words[-1] | lower if words[-1] | lower in ['asc', 'desc'] else 'asc' -%}
            {%- set expression = (words[:-1] if words[-1] | lower in ['asc', 'desc'] else words) | join(' ') -%}
            {%- do keys.append({'expression': expression, 'descending': direction == 'desc'}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- for key in keys -%}
        {%- do fields.append("'k" ~ loop.index ~ "', " ~ key.expression) -%}
    {%- endfor -%}
    {%- do fields.append("'v', " ~ measure) -%}
    {%- set collected = 'collect_list(named_struct(' ~ fields | join(', ') ~ '))' -%}
    {%- if keys -%}
        {%- set comparisons = [] -%}
        {%- for key in keys -%}
            {%- set first = '1' if key.descending else '-1' -%}
            {%- set last = '-1' if key.descending else '1' -%}
            {%- do comparisons.append(
                'when l.k' ~ loop.index ~ ' < r.k' ~ loop.index ~ ' then ' ~ first
                ~ ' when l.k' ~ loop.index ~ ' > r.k' ~ loop.index ~ ' then ' ~ last
            ) -%}
        {%- endfor -%}
        {%- set collected = 'array_sort(' ~ collected ~ ', (l, r) -> case ' ~ comparisons | join(' ') ~ ' else 0 end)' -%}
    {%- endif -%}
    {%- if limit_num -%}
        {%- set collected = 'slice(' ~ collected ~ ', 1, ' ~ limit_num ~ ')' -%}
    {%- endif -%}
    array_join(transform({{ collected }}, x -> x.v), {{ delimiter_text }})
{%- endmacro %}
