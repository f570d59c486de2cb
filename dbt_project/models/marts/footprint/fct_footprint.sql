{{ config(
    materialized=('incremental' if target.type == 'duckdb' else 'table'),
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook=before_begin("{{ footprint_rows_replaced_deleted() }}"),
    post_hook=[
        "{{ footprint_state_recorded() }}",
        after_commit("{{ footprint_checkpointed() }}"),
    ],
) }}
-- One row per reporting year × emitting item × life-cycle stage × criterion × method: the
-- devices (embodied and use phase) and every other source (transport, contracts, trips,
-- collected devices), each with its GHG Protocol scope and category and its calculation
-- method, the ids of its dimensions (names live in the dimensions: dim_hardware_assets,
-- dim_towns, ...) and the lineage of the factors behind it. Incremental on DuckDB: a night
-- computes again only the device rows of the asset-years whose inputs changed, and every other
-- row (macros/incremental_footprint.sql).
-- depends_on: {{ ref('int_hardware_asset_years_fingerprinted') }}
with

embodied as (
    select * from {{ ref('int_embodied_impacts_computed') }}
),

use_phase as (
    select * from {{ ref('int_use_phase_impacts_computed') }}
),

activity as (
    select * from {{ ref('int_activity_impacts_unioned') }}
),

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

-- Both intermediate models give the same columns in the same order.
impacts as (
    select * from embodied
    union all
    select * from use_phase
),

hardware as (
    select
        impacts.reporting_year,
        impacts.method,
        'hardware_asset' as source_kind,
        impacts.asset_id as item_id,
        impacts.stage,
        impacts.criterion,
        impacts.value,
        impacts.value_min,
        impacts.value_max,
        impacts.unit,
        impacts.factor_id,
        impacts.factor_set,
        impacts.match_level,
        impacts.factor_fallback,
        impacts.factor_flag,
        impacts.energy_parameter_id,
        impacts.energy_match_level,
        impacts.pue_parameter_id,
        case when impacts.stage = 'use' then 'annual_energy' else 'device_factor' end
            as calculation_method,
        -- Electricity bought: scope 2; devices bought: scope 3 category 2 (capital goods); their
        -- end of life: scope 3 category 5 (waste generated in operations).
        case when impacts.stage = 'use' then 2 else 3 end as ghg_scope,
        case impacts.stage when 'use' then null when 'end_of_life' then 5 else 2 end
            as ghg_category,
        cast(null as {{ dbt.type_string() }}) as travel_mode,
        impacts.asset_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        assets.town_id,
        assets.location_id,
        assets.cost_center_id,
        assets.department_id,
        assets.device_category,
        assets.model_id
    from impacts
    inner join assets on impacts.asset_id = assets.asset_id
    {%- if footprint_rows_kept() %}
        inner join {{ footprint_rebuilt() }} as rebuilt
            on
                impacts.asset_id = rebuilt.asset_id
                and impacts.reporting_year = rebuilt.reporting_year
    {%- endif %}
),

others as (
    select
        reporting_year,
        method,
        source_kind,
        item_id,
        stage,
        criterion,
        value,
        value_min,
        value_max,
        unit,
        factor_id,
        factor_set,
        match_level,
        factor_fallback,
        factor_flag,
        cast(null as {{ dbt.type_string() }}) as energy_parameter_id,
        cast(null as {{ dbt.type_string() }}) as energy_match_level,
        cast(null as {{ dbt.type_string() }}) as pue_parameter_id,
        calculation_method,
        ghg_scope,
        ghg_category,
        travel_mode,
        asset_id,
        contract_id,
        town_id,
        location_id,
        cost_center_id,
        department_id,
        device_category,
        model_id
    from activity
),

final as (
    select * from hardware
    union all
    select * from others
)

select * from final
