{{ config(materialized='view') }}
-- The share of each embodied factor booked to a reporting year, with the scenario levers
-- applied: a scenario may buy a share of a category refurbished (lever `refurbished_shares`,
-- macros/scenario_levers.sql), so the manufacturing share of an asset of that category acquired
-- from the lever's start is × (1 − share × (1 − embodied_fraction)). No lever in the nightly
-- build: the shares of int_embodied_shares_allocated. The impacts (int_embodied_impacts_computed)
-- and what `empreinte explain` reads (fct_footprint_inputs) both start from it.
with

shares as (
    select * from {{ ref('int_embodied_shares_allocated') }}
),

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

refurbished as (
    {{ scenario_lever_rows('refurbished_shares') }}
),

refurbishing as (
    select
        assets.asset_id,
        1 - refurbished.share * (1 - refurbished.embodied_fraction) as manufacturing_multiplier
    from assets
    inner join dates on assets.asset_id = dates.asset_id
    inner join refurbished
        on
            assets.device_category = refurbished.device_category
            and (refurbished.starts_on is null or dates.acquired_on >= refurbished.starts_on)
),

final as (
    select
        shares.asset_id,
        shares.reporting_year,
        shares.method,
        shares.stage,
        case
            when shares.stage = 'manufacturing'
                then shares.share * coalesce(refurbishing.manufacturing_multiplier, 1)
            else shares.share
        end as share
    from shares
    left join refurbishing on shares.asset_id = refurbishing.asset_id
)

select * from final
