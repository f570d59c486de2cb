{#- A string as a SQL literal (quotes doubled), or null when empty. -#}
{% macro quoted_or_null(value) -%}
    {%- if value -%} '{{ value | string | replace("'", "''") }}' {%- else -%} null {%- endif -%}
{%- endmacro %}
