-- One row per reporting year × emitting item × life-cycle stage × criterion × method.
with

embodied as (
    select * from {{ ref('int_embodied_impacts_computed') }}
),

use_phase as (
    select * from {{ ref('int_use_phase_impacts_computed') }}
),

assets as (
    select * from {{ ref('dim_hardware_assets') }}
),

impacts as (
    select * from embodied
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
        match_level
    from use_phase
),

final as (
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
)

select * from final
