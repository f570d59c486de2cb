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

{#- The texts of a group joined by `separator`, in ascending order (the same texts give the same
    string whatever the order of the rows). -#}
{% macro sorted_string_agg(text, separator) -%}
    {{ return(adapter.dispatch('sorted_string_agg', 'empreinte')(text, separator)) }}
{%- endmacro %}

{% macro default__sorted_string_agg(text, separator) -%}
    string_agg({{ text }}, {{ separator }} order by {{ text }})
{%- endmacro %}

{% macro spark__sorted_string_agg(text, separator) -%}
    concat_ws({{ separator }}, array_sort(collect_list({{ text }})))
{%- endmacro %}
