{#-
    ServiceNow date-times are UTC; the dates the rules use (installed, retired, disposed, the day
    a status changed) are local dates in the organisation's time zone (DESIGN.md, "Dates"): the
    var `time_zone`, else the environment's EMPREINTE_TIME_ZONE, else Europe/Paris.
-#}

{% macro time_zone() -%}
    {%- set zone = var('time_zone', '') or env_var('EMPREINTE_TIME_ZONE', '') or 'Europe/Paris' -%}
    {%- if not modules.re.fullmatch('[A-Za-z0-9_+/-]+', zone) -%}
        {{ exceptions.raise_compiler_error("time_zone: not a time zone name: " ~ zone) }}
    {%- endif -%}
    {{ return(zone) }}
{%- endmacro %}

{#- The local date of a UTC timestamp. -#}
{% macro local_date(utc_timestamp) -%}
    {{ return(adapter.dispatch('local_date', 'empreinte')(utc_timestamp, time_zone())) }}
{%- endmacro %}

{#- SQL standard: the timestamp read as UTC, then shown in the zone (DuckDB, Postgres, Trino). -#}
{% macro default__local_date(utc_timestamp, zone) -%}
    cast(({{ utc_timestamp }} at time zone 'UTC') at time zone '{{ zone }}' as date)
{%- endmacro %}

{#- DuckDB: the same, through its ICU time zones (built into the Python package). -#}
{% macro duckdb__local_date(utc_timestamp, zone) -%}
    cast(timezone('{{ zone }}', timezone('UTC', {{ utc_timestamp }})) as date)
{%- endmacro %}

{% macro spark__local_date(utc_timestamp, zone) -%}
    cast(from_utc_timestamp({{ utc_timestamp }}, '{{ zone }}') as date)
{%- endmacro %}
