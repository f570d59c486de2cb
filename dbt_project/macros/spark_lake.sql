{#-
    DuckDB reads the lake through each source's `external_location` (read_parquet of a glob).
    Spark has no such thing: at the start of a Spark run, every source read from Parquet becomes
    a table over the same files (one `create table ... using parquet` per source, the glob as
    its path, columns merged across batches as union_by_name does). Nothing is copied.
    Only the sources the selected models read are registered: a folder holding only its
    `_schema.*` file (what landing refused, the editions before the first publish) has nothing
    Spark can read (it skips names starting with `_`); build without their models with
    `--exclude source:landing+ source:editions+`.
-#}
{% macro register_lake_sources() %}
    {%- if execute and target.type == 'spark' -%}
        {%- set read = [] -%}
        {%- for node in graph.nodes.values() if node.unique_id in selected_resources -%}
            {%- do read.extend(node.depends_on.nodes) -%}
        {%- endfor -%}
        {%- for source in graph.sources.values() if source.unique_id in read -%}
            {%- set location = source.source_meta.get('external_location') or source.meta.get('external_location') or '' -%}
            {%- set found = modules.re.search("read_parquet\('([^']+)'", location) -%}
            {%- if found -%}
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
