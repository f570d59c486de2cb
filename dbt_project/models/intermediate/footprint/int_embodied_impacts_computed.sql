{{ config(materialized='view') }}
-- Embodied impact booked to each reporting year: the matched factor × the year's share. A
-- scenario may buy a share of a category refurbished (lever `refurbished_shares`, macros/
-- scenario_levers.sql): its manufacturing × (1 − share × (1 − embodied_fraction)).
with

shares as (
    select * from {{ ref('int_embodied_shares_allocated') }}
),

factors as (
    select * from {{ ref('int_embodied_factors_matched') }}
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

-- Scenario lever: the expected manufacturing impact of an asset of the category acquired from
-- the lever's start, when that share is bought refurbished. No row in the nightly build.
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

multiplied as (
    select
        shares.*,
        case
            when shares.stage = 'manufacturing'
                then shares.share * coalesce(refurbishing.manufacturing_multiplier, 1)
            else shares.share
        end as weight
    from shares
    left join refurbishing on shares.asset_id = refurbishing.asset_id
),

final as (
    select
        multiplied.asset_id,
        multiplied.reporting_year,
        multiplied.method,
        multiplied.stage,
        factors.criterion,
        factors.value * multiplied.weight as value,
        factors.value_min * multiplied.weight as value_min,
        factors.value_max * multiplied.weight as value_max,
        factors.unit,
        factors.factor_id,
        factors.factor_set,
        factors.match_level,
        factors.factor_fallback,
        factors.flag as factor_flag,
        -- The use phase's lineage columns, so both kinds of impact read alike.
        cast(null as {{ dbt.type_string() }}) as energy_parameter_id,
        cast(null as {{ dbt.type_string() }}) as energy_match_level,
        cast(null as {{ dbt.type_string() }}) as pue_parameter_id
    from multiplied
    inner join factors
        on
            multiplied.asset_id = factors.asset_id
            and multiplied.stage = factors.stage
)

select * from final
