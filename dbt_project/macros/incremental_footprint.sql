{#-
    fct_footprint is built incrementally on DuckDB (README, "Incremental nights").
    A night starts from a copy of the published warehouse, whose `incremental_state` schema
    records what its device rows were computed from: one fingerprint per asset and reporting
    year (int_hardware_asset_years_fingerprinted) and the version of the models
    (var `code_version`, which the pipeline sets). The rows of an asset and year whose
    fingerprint changed, appeared or disappeared are deleted and computed again; every other
    kind of row (contracts, trips, transport, collection: a few percent) is rebuilt whole.
    Without that record (a first night, another version of the models), every row is rebuilt.
-#}

{% macro footprint_state() -%}
    {{ return(api.Relation.create(
        database=this.database, schema='incremental_state', identifier='fct_footprint_built_from'
    )) }}
{%- endmacro %}

{#- True when the rows in place can be kept: an incremental run with their record. -#}
{% macro footprint_rows_kept() -%}
    {%- if not (execute and is_incremental()) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set state = footprint_state() -%}
    {{ return(adapter.get_relation(state.database, state.schema, state.identifier) is not none) }}
{%- endmacro %}

{#- The asset-years whose device rows are computed again: new, changed or gone. -#}
{% macro footprint_years_rebuilt() -%}
    select
        coalesce(now.asset_id, built.asset_id) as asset_id,
        coalesce(now.reporting_year, built.reporting_year) as reporting_year
    from {{ ref('int_hardware_asset_years_fingerprinted') }} as now
    full outer join {{ footprint_state() }} as built
        on
            now.asset_id = built.asset_id
            and now.reporting_year = built.reporting_year
    where
        now.fingerprint is distinct from built.fingerprint
        or built.code_version is distinct from {{ quoted_or_null(var('code_version', '')) }}
{%- endmacro %}

{#- The asset-years to compute again, kept for the night's build (the pre-hook fills it). -#}
{% macro footprint_rebuilt() -%}
    {{ return(footprint_state().incorporate(path={'identifier': 'fct_footprint_rebuilt'})) }}
{%- endmacro %}

{#-
    Pre-hook, before the model's transaction: the rows about to be computed again leave the
    table (the changed asset-years' device rows and every other source's; every row when the
    record is missing). DuckDB keeps a delete's version information in memory until the next
    checkpoint, where memory_limit cannot spill it: about 17 KB for each 2,048 rows of the table
    it touches, and these rows are spread over the whole table. At L (690 million rows) one
    delete would need 5.6 GB and fails within 2GB (docs/performance.md). So the table is
    deleted from in slices of rowids, each committed and checkpointed before the next:
    EMPREINTE_DELETE_SLICE_ROWS rows (16,777,216: about 140 MB held at most). A night that fails
    after it leaves a build that is never published.
-#}
{% macro footprint_rows_replaced_deleted() -%}
    {{ return(adapter.dispatch('footprint_rows_replaced_deleted', 'empreinte')()) }}
{%- endmacro %}

{% macro default__footprint_rows_replaced_deleted() -%}
    {#- Incremental on DuckDB only: elsewhere the table is rebuilt whole. -#}
{%- endmacro %}

{% macro duckdb__footprint_rows_replaced_deleted() -%}
    {%- if execute and is_incremental() -%}
        {%- set kept = footprint_rows_kept() -%}
        {%- set slice_rows = env_var('EMPREINTE_DELETE_SLICE_ROWS', '16777216') | int -%}
        {%- set last_row = run_query(
            'select coalesce(max(rowid), 0) from ' ~ this
        ).columns[0].values()[0] -%}
        {#- The queries above opened a transaction; the slices commit one by one. -#}
        {%- do adapter.commit() -%}
        {%- if kept %}
            create or replace table {{ footprint_rebuilt() }} as {{ footprint_years_rebuilt() }};
        {%- endif %}
        {%- for first_row in range(0, last_row + 1, slice_rows) %}
            {%- set in_slice -%}
                old.rowid >= {{ first_row }} and old.rowid < {{ first_row + slice_rows }}
            {%- endset %}
            {%- if kept %}
                delete from {{ this }} as old
                using {{ footprint_rebuilt() }} as rebuilt
                where
                    {{ in_slice }}
                    and old.source_kind = 'hardware_asset'
                    and old.item_id = rebuilt.asset_id
                    and old.reporting_year = rebuilt.reporting_year;
                delete from {{ this }} as old
                where {{ in_slice }} and old.source_kind != 'hardware_asset';
            {%- else %}
                delete from {{ this }} as old where {{ in_slice }};
            {%- endif %}
            checkpoint;
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: what the table's device rows were computed from, for the next night. -#}
{% macro footprint_state_recorded() -%}
    {{ return(adapter.dispatch('footprint_state_recorded', 'empreinte')()) }}
{%- endmacro %}

{% macro default__footprint_state_recorded() -%}
    {#- Incremental on DuckDB only: elsewhere the table is rebuilt whole, nothing to record. -#}
{%- endmacro %}

{% macro duckdb__footprint_state_recorded() -%}
    {%- set state = footprint_state() -%}
    create schema if not exists {{ state.without_identifier() }};
    create or replace table {{ state }} as
    select
        asset_id,
        reporting_year,
        fingerprint,
        cast({{ quoted_or_null(var('code_version', '')) }} as varchar) as code_version
    from {{ ref('int_hardware_asset_years_fingerprinted') }};
    drop table if exists {{ footprint_rebuilt() }}
{%- endmacro %}

{#-
    Post-hook, once the build has committed: the appended rows and the record go to the file in
    a checkpoint, so the tests that follow start with none of the night's changes held in
    memory (the deletes were checkpointed slice by slice: footprint_rows_replaced_deleted).
-#}
{% macro footprint_checkpointed() -%}
    {{ return(adapter.dispatch('footprint_checkpointed', 'empreinte')()) }}
{%- endmacro %}

{% macro default__footprint_checkpointed() -%}
    {#- Spark rebuilds the table whole in its own storage: nothing to checkpoint. -#}
{%- endmacro %}

{% macro duckdb__footprint_checkpointed() -%}
    checkpoint
{%- endmacro %}

{#- One 64-bit hash of a row's values (nulls included). -#}
{% macro row_hash(columns) -%}
    {{ return(adapter.dispatch('row_hash', 'empreinte')(columns)) }}
{%- endmacro %}

{% macro default__row_hash(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_hash(columns) -%}
    xxhash64({{ columns | join(', ') }})
{%- endmacro %}

{#- A hash of a group's rows whatever their order: the sum of their hashes (no overflow). -#}
{% macro rows_hash(columns) -%}
    sum(cast({{ row_hash(columns) }} as decimal(38, 0)))
{%- endmacro %}
