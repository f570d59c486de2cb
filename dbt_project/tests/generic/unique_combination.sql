{#-
    Rows are unique on a set of columns (dbt_utils' test, kept here: no package download).
    On DuckDB, a fact table of hundreds of millions of rows is not grouped on its whole key
    (a hash table of every key, spilled to disk): each row's key is hashed to one number, the
    numbers seen twice are kept (few: only real duplicates and rare hash collisions), and only
    the rows with those numbers are grouped on their key. Same answer, a fraction of the memory.
-#}
{% test unique_combination(model, columns) %}
    {{ unique_combination_rows(model, columns) }}
{% endtest %}
