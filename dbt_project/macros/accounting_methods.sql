{#- The two accounting conventions, side by side (DESIGN.md, "Two accounting conventions"), as
    rows: what a figure the same under both (use phase, activity sources) is crossed with. -#}
{% macro accounting_methods() -%}
    select 'amortised' as method
    union all
    select 'acquisition' as method
{%- endmacro %}
