{#-
    Configuration (dbt vars: the trajectory targets, budget colour bands, action plans, scenario
    levers) as rows of SQL, so the formulas that use it are plain joins any engine runs.

    configured_rows(records, columns): `records` is a list of mappings, `columns` a list of
    (name, type) pairs, type one of string, integer, double, date, boolean. A missing key is
    null. An empty list gives no row (with the columns typed). A value that does not fit its
    type stops the build naming the column and the value.
-#}
{% macro configured_rows(records, columns) -%}
    {%- set rows = records or [] -%}
    {%- if rows is mapping or rows is string -%}
        {{ exceptions.raise_compiler_error("configured_rows: a list of records is expected, got " ~ rows) }}
    {%- endif -%}
    {%- if rows | length == 0 %}
    select
        {%- for name, type in columns %}
        {{ configured_value(none, type, name) }} as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    where 1 = 0
    {%- else -%}
    {%- for record in rows %}
    select
        {%- for name, type in columns %}
        {{ configured_value(record.get(name), type, name) }} as {{ name }}{{ "," if not loop.last }}
        {%- endfor %}
    {%- if not loop.last %}
    union all
    {%- endif -%}
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}

{#- One configured value as a typed SQL literal. -#}
{% macro configured_value(value, type, name) -%}
    {%- set types = {
        'string': dbt.type_string(), 'integer': dbt.type_int(), 'double': type_double(),
        'date': 'date', 'boolean': dbt.type_boolean()
    } -%}
    {%- if type not in types -%}
        {{ exceptions.raise_compiler_error("configured_rows: unknown type " ~ type ~ " for " ~ name) }}
    {%- endif -%}
    {%- if value is none or value == '' -%}
        cast(null as {{ types[type] }})
    {%- elif type == 'string' -%}
        cast('{{ value | string | replace("'", "''") }}' as {{ types[type] }})
    {%- elif type == 'date' -%}
        {%- if not modules.re.fullmatch('\d{4}-\d{2}-\d{2}', value | string) -%}
            {{ exceptions.raise_compiler_error("configured_rows: " ~ name ~ ": not a date (YYYY-MM-DD): " ~ value) }}
        {%- endif -%}
        cast('{{ value }}' as date)
    {%- elif type == 'boolean' -%}
        {%- if value is not sameas true and value is not sameas false -%}
            {{ exceptions.raise_compiler_error("configured_rows: " ~ name ~ ": not true or false: " ~ value) }}
        {%- endif -%}
        {{ 'true' if value else 'false' }}
    {%- else -%}
        {%- if not modules.re.fullmatch('-?\d+(\.\d+)?([eE]-?\d+)?', value | string) -%}
            {{ exceptions.raise_compiler_error("configured_rows: " ~ name ~ ": not a number: " ~ value) }}
        {%- endif -%}
        {%- if type == 'integer' and not modules.re.fullmatch('-?\d+', value | string) -%}
            {{ exceptions.raise_compiler_error("configured_rows: " ~ name ~ ": not a whole number: " ~ value) }}
        {%- endif -%}
        cast({{ value }} as {{ types[type] }})
    {%- endif -%}
{%- endmacro %}
