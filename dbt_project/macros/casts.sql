{#-
    ServiceNow sends every value as a string, "" when empty (database values: see
    connectors/servicenow/tables.py). One macro per field type reads them.
-#}

{% macro sn_string(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{#- A choice field holds the choice's value ("1", "disposed"), never its label. -#}
{% macro sn_choice(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{% macro sn_integer(column) -%}
    cast(nullif({{ column }}, '') as integer)
{%- endmacro %}

{% macro sn_decimal(column) -%}
    cast(nullif({{ column }}, '') as {{ type_double() }})
{%- endmacro %}

{#- An amount in the instance's currency ("1599.99"): exact decimals. -#}
{% macro sn_currency(column) -%}
    cast(nullif({{ column }}, '') as {{ dbt.type_numeric() }})
{%- endmacro %}

{% macro sn_boolean(column) -%}
    coalesce({{ column }} = 'true', false)
{%- endmacro %}

{#- A glide_date ("2020-12-16"): a calendar date, with no time zone. -#}
{% macro sn_date(column) -%}
    cast(nullif({{ column }}, '') as date)
{%- endmacro %}

{#- A glide_date_time ("2021-03-03 23:00:00"): a moment, in UTC. -#}
{% macro sn_date_time(column) -%}
    cast(nullif({{ column }}, '') as {{ dbt.type_timestamp() }})
{%- endmacro %}

{#- The local date of a date-time field in the organisation's time zone (see local_date). -#}
{% macro sn_local_date(column) -%}
    {{ local_date(sn_date_time(column)) }}
{%- endmacro %}

{% macro sn_reference(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{#- A glide_list: sys_ids separated by commas, kept as the string. -#}
{% macro sn_list(column) -%}
    nullif({{ column }}, '')
{%- endmacro %}

{#- The first sys_id of a glide_list (a model's first category). -#}
{% macro sn_list_first(column) -%}
    nullif({{ dbt.split_part(column, "','", 1) }}, '')
{%- endmacro %}
