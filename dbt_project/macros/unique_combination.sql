{#- The rows of unique_combination (tests/generic/unique_combination.sql), per adapter. -#}
{% macro unique_combination_rows(model, columns) -%}
    {{ return(adapter.dispatch('unique_combination_rows', 'empreinte')(model, columns)) }}
{%- endmacro %}

{% macro default__unique_combination_rows(model, columns) %}
    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endmacro %}

{% macro duckdb__unique_combination_rows(model, columns) %}
    with

    repeated_hashes as (
        select hash({{ columns | join(', ') }}) as key_hash
        from {{ model }}
        group by 1
        having count(*) > 1
    )

    select {{ columns | join(', ') }}, count(*) as occurrences
    from {{ model }}
    where hash({{ columns | join(', ') }}) in (select repeated_hashes.key_hash from repeated_hashes)
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endmacro %}
