{#- ServiceNow sends every value as a string, "" when empty. These read them. -#}

{% macro sn_date(column) -%}
    cast(nullif({{ column }}, '') as date)
{%- endmacro %}

{% macro sn_timestamp(column) -%}
    cast(nullif({{ column }}, '') as timestamp)
{%- endmacro %}

{% macro sn_number(column) -%}
    cast(nullif({{ column }}, '') as double)
{%- endmacro %}

{% macro sn_integer(column) -%}
    cast(nullif({{ column }}, '') as integer)
{%- endmacro %}

{% macro sn_boolean(column) -%}
    coalesce({{ column }} = 'true', false)
{%- endmacro %}

{% macro sn_reference(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}
