{#- The life-cycle stages of an embodied impact (DESIGN.md, "Embodied impact"), as rows. -#}
{% macro embodied_stages() -%}
    select 'manufacturing' as stage
    union all
    select 'distribution' as stage
    union all
    select 'end_of_life' as stage
{%- endmacro %}
