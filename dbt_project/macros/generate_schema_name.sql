{#-
    A model's schema is its layer's (`staging`, `intermediate`, `marts`, `seeds`) as written,
    not dbt's default `<target schema>_<layer>`: the published file's documented schema is
    `marts`, whatever the profile.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name | trim if custom_schema_name else target.schema }}
{%- endmacro %}
