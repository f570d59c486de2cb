{#- No row of the column holds any of these values. -#}
{% test excluded_values(model, column_name, values) %}
    select {{ column_name }}
    from {{ model }}
    where {{ column_name }} in (
        {%- for value in values %}'{{ value }}'{{ "," if not loop.last }}{% endfor -%}
    )
{% endtest %}
