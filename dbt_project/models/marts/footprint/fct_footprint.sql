-- One row per reporting year × emitting item × life-cycle stage × criterion × method, with the
-- ids of its dimensions (names live in the dimensions: dim_hardware_assets, dim_towns, ...) and
-- the lineage of the factors behind it.
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

-- Both intermediate models give the same columns in the same order.
impacts as (
    select * from embodied
    union all
    select * from use_phase
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
        impacts.factor_fallback,
        impacts.factor_flag,
        impacts.energy_parameter_id,
        impacts.energy_match_level,
        impacts.pue_parameter_id,
        assets.town_id,
        assets.location_id,
        assets.cost_center_id,
        assets.department_id,
        assets.device_category,
        assets.model_id
    from impacts
    inner join assets on impacts.asset_id = assets.asset_id
)

select * from final
