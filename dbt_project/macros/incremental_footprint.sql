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

{#- Pre-hooks: the rows about to be computed again leave the table first. -#}
{% macro footprint_rows_replaced_deleted() -%}
    {%- if footprint_rows_kept() -%}
        delete from {{ this }} as kept
        using ({{ footprint_years_rebuilt() }}) as rebuilt
        where
            kept.source_kind = 'hardware_asset'
            and kept.item_id = rebuilt.asset_id
            and kept.reporting_year = rebuilt.reporting_year
    {%- elif execute and is_incremental() -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}

{% macro footprint_activity_rows_deleted() -%}
    {%- if footprint_rows_kept() -%}
        delete from {{ this }} where source_kind != 'hardware_asset'
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
    from {{ ref('int_hardware_asset_years_fingerprinted') }}
{%- endmacro %}

{#-
    Post-hook, once the build has committed. DuckDB keeps the version information of a
    transaction's deletes and appends in memory until the next checkpoint, where its
    memory_limit cannot spill it: about 17 KB for each 2,048 rows of the table they touch. An
    incremental night deletes rows spread over the whole table (the changed asset-years, every
    other source); at M (69 million rows) the key's uniqueness test that follows ran out of
    memory (a tenth of the assets rewritten by hand left 571 MB pinned; 14 MB after a
    checkpoint). The checkpoint writes the changes to the file and frees that memory.
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
