{#-
    DuckDB reads the lake through each source's `external_location` (read_parquet of a glob).
    Spark has no such thing: at the start of a Spark run, every source read from Parquet becomes
    a table over the same files (one `create table ... using parquet` per source, the glob as
    its path, columns merged across batches as union_by_name does). Nothing is copied.
    What landing refused (source `landing`) stays DuckDB's: its folders may hold only
    `_schema.*` files, which Spark skips as hidden; build with `--exclude source:landing+`.
-#}
{% macro register_lake_sources() %}
    {%- if execute and target.type == 'spark' -%}
        {%- for source in graph.sources.values() -%}
            {%- set location = source.source_meta.get('external_location') or source.meta.get('external_location') or '' -%}
            {%- set found = modules.re.search("read_parquet\('([^']+)'", location) -%}
            {%- if found and source.source_name != 'landing' -%}
                {#- A folder and a file pattern (`folder/*.parquet`, `folder/name.parquet`), or any
                    depth below the folder (`folder/**/*.parquet`). -#}
                {%- set glob = found.group(1) | replace('{name}', source.name) -%}
                {%- set recursive = '/**/' in glob -%}
                {%- set folder, pattern = glob.replace('/**/', '/').rsplit('/', 1) -%}
                {%- set options = [
                    "path '" ~ folder ~ "'",
                    "pathGlobFilter '" ~ pattern ~ "'",
                    "recursiveFileLookup '" ~ (recursive | lower) ~ "'",
                    "mergeSchema 'true'",
                ] -%}
                {%- set relation = source.schema ~ '.' ~ source.identifier -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
                {%- do run_query('drop table if exists ' ~ relation) -%}
                {%- do run_query(
                    'create table ' ~ relation ~ ' using parquet options ('
                    ~ options | join(', ') ~ ')'
                ) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{% endmacro %}
