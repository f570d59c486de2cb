{#- A 64-bit float: dbt.type_float() is 32-bit on DuckDB, too coarse for shares that must sum to 1. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'empreinte')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double
{%- endmacro %}

{% macro bigquery__type_double() -%}
    float64
{%- endmacro %}
