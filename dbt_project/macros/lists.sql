{#- Lists (JSON arrays read from the lake): their first element and their length. -#}

{% macro first_of_list(column) -%}
    {{ return(adapter.dispatch('first_of_list', 'empreinte')(column)) }}
{%- endmacro %}

{% macro default__first_of_list(column) -%}
    {{ column }}[1]
{%- endmacro %}

{% macro spark__first_of_list(column) -%}
    element_at({{ column }}, 1)
{%- endmacro %}

{% macro length_of_list(column) -%}
    {{ return(adapter.dispatch('length_of_list', 'empreinte')(column)) }}
{%- endmacro %}

{% macro default__length_of_list(column) -%}
    len({{ column }})
{%- endmacro %}

{% macro spark__length_of_list(column) -%}
    size({{ column }})
{%- endmacro %}
