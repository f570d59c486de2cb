-- One row per reporting year × emitting item × life-cycle stage × criterion × method: the
-- devices (embodied and use phase) and every other source (transport, contracts, trips,
-- collected devices), each with its GHG Protocol scope and category and its calculation method.
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

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

impacts as (
    select
        *,
        'device_factor' as calculation_method
    from embodied
    union all
    select
        asset_id,
        reporting_year,
        method,
        stage,
        criterion,
        value,
        value_min,
        value_max,
        unit,
        factor_id,
        factor_set,
        match_level,
        'annual_energy' as calculation_method
    from use_phase
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
        cast(null as {{ dbt.type_string() }}) as factor_fallback,
        impacts.match_level,
        impacts.calculation_method,
        -- Electricity bought: scope 2; devices bought: scope 3 category 2 (capital goods); their
        -- end of life: scope 3 category 5 (waste generated in operations).
        case when impacts.stage = 'use' then 2 else 3 end as ghg_scope,
        case impacts.stage when 'use' then null when 'end_of_life' then 5 else 2 end
            as ghg_category,
        cast(null as {{ dbt.type_string() }}) as travel_mode,
        impacts.asset_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        assets.town_id,
        assets.town_name,
        assets.location_id,
        assets.location_name,
        assets.cost_center_id,
        assets.department_id,
        assets.device_category,
        assets.model_id,
        assets.model_name,
        assets.manufacturer_name
    from impacts
    inner join assets on impacts.asset_id = assets.asset_id
),

others as (
    select
        activity.reporting_year,
        activity.method,
        activity.source_kind,
        activity.item_id,
        activity.stage,
        activity.criterion,
        activity.value,
        activity.value_min,
        activity.value_max,
        activity.unit,
        activity.factor_id,
        activity.factor_set,
        activity.factor_fallback,
        cast(null as {{ dbt.type_string() }}) as match_level,
        activity.calculation_method,
        activity.ghg_scope,
        activity.ghg_category,
        activity.travel_mode,
        activity.asset_id,
        activity.contract_id,
        activity.town_id,
        towns.company_name as town_name,
        activity.location_id,
        locations.location_name,
        activity.cost_center_id,
        activity.department_id,
        activity.device_category,
        activity.model_id,
        assets.model_name,
        assets.manufacturer_name
    from activity
    left join assets on activity.asset_id = assets.asset_id
    left join companies as towns on activity.town_id = towns.company_id
    left join locations on activity.location_id = locations.location_id
),

final as (
    select * from hardware
    union all
    select * from others
)

select * from final
