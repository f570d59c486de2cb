{#- Date helpers built on dbt's cross-database macros, so other adapters build the same marts. -#}

{% macro year_start(year) -%}
    cast(cast({{ year }} as {{ dbt.type_string() }}) || '-01-01' as date)
{%- endmacro %}

{% macro year_of(date) -%}
    cast(extract(year from {{ date }}) as integer)
{%- endmacro %}

{#- Whole days from start to end (end exclusive). -#}
{% macro days_between(start, end) -%}
    {{ return(adapter.dispatch('days_between', 'empreinte')(start, end)) }}
{%- endmacro %}

{% macro default__days_between(start, end) -%}
    {{ dbt.datediff(start, end, 'day') }}
{%- endmacro %}

{% macro duckdb__days_between(start, end) -%}
    date_diff('day', {{ start }}, {{ end }})
{%- endmacro %}

{% macro add_days(date, days) -%}
    {{ return(adapter.dispatch('add_days', 'empreinte')(date, days)) }}
{%- endmacro %}

{% macro default__add_days(date, days) -%}
    cast({{ dbt.dateadd('day', days, date) }} as date)
{%- endmacro %}

{% macro duckdb__add_days(date, days) -%}
    cast({{ date }} + {{ days }} as date)
{%- endmacro %}

{#- Calendar addition of whole months, the day clamped to the month's end (Jan 31 + 1 = Feb 28/29). -#}
{% macro add_months(date, months) -%}
    cast({{ dbt.dateadd('month', months, date) }} as date)
{%- endmacro %}

{% macro as_of_date() -%}
    {%- if var('as_of') -%} cast('{{ var("as_of") }}' as date) {%- else -%} current_date {%- endif -%}
{%- endmacro %}

{#- A lifetime in years as whole months, at least one, so an amortisation window is never empty. -#}
{% macro lifetime_months(years) -%}
    greatest(cast(round(({{ years }}) * 12) as integer), 1)
{%- endmacro %}
