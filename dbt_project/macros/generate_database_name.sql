{#-
    On DuckDB the working layers (`+database: internal`) live in a second file attached as
    `internal` (profiles.yml), so the build file holds the published marts only. Other adapters
    keep every model in the target's database.
-#}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {%- if custom_database_name is none or target.type != 'duckdb' -%}
        {{ target.database }}
    {%- else -%}
        {{ custom_database_name | trim }}
    {%- endif -%}
{%- endmacro %}
