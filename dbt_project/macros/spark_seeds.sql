{#-
    dbt-spark's seed loader (`spark__load_csv_rows`, dbt-spark 1.11) with its text values escaped:
    with the `session` method, dbt-spark quotes each value as `'value'` without escaping, so a
    seed text holding an apostrophe ("Impact CO2's bands") breaks the insert. Spark SQL escapes
    with a backslash. And an empty cell would be bound as the text 'None' (a string column then
    holds "None" where DuckDB holds null): it is written `cast(null as type)`, with no binding.
-#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {% set batch_size = get_batch_size() %}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(batch_size) %}
        {% set bindings = [] %}
        {% for row in chunk %}
            {% for value in row if value is not none %}
                {% if value is string %}
                    {% do bindings.append(value | replace('\\', '\\\\') | replace("'", "\\'")) %}
                {% else %}
                    {% do bindings.append(value) %}
                {% endif %}
            {% endfor %}
        {% endfor %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = column_override.get(col_name, inferred_type) -%}
                    {%- if row[loop.index0] is none -%}
                        cast(null as {{ type }})
                    {%- else -%}
                        cast({{ get_binding_char() }} as {{ type }})
                    {%- endif -%}
                    {%- if not loop.last %},{%- endif %}
                {%- endfor -%})
                {%- if not loop.last %},{%- endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, bindings=bindings, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0]) }}
{% endmacro %}
