{#- Whether a reporting year is `complete`, counted `year_to_date`, or `future` (amortisation
    already booked to it), relative to the as-of date. -#}
{% macro year_status(reporting_year, as_of_date) -%}
    case
        when {{ reporting_year }} < extract(year from {{ as_of_date }}) then 'complete'
        when {{ reporting_year }} = extract(year from {{ as_of_date }}) then 'year_to_date'
        else 'future'
    end
{%- endmacro %}

{#- A string as a SQL literal (quotes doubled), or null when empty. -#}
{% macro quoted_or_null(value) -%}
    {%- if value -%} '{{ value | string | replace("'", "''") }}' {%- else -%} null {%- endif -%}
{%- endmacro %}
