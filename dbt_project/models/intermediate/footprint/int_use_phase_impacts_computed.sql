{{ config(materialized='view') }}
-- Use phase per asset and reporting year (DESIGN.md, "Use"): annual energy × the grid
-- intensity of the site's country for that year × the share of the year in use (which stops at
-- the as-of date) × the PUE of the data centre the asset sits in (1 elsewhere). The same
-- figures serve both accounting methods. Each row names the grid factor (`factor_id`), the
-- annual energy and the PUE behind it; `factor_fallback` and `factor_flag` report the first
-- of the grid factor, the energy figure and the PUE that fell back or carries a source flag.
with

shares as (
    select * from {{ ref('int_use_phase_shares_allocated') }}
),

energy as (
    select * from {{ ref('int_annual_energy_matched') }}
),

located as (
    select * from {{ ref('int_hardware_assets_located') }}
),

pue as (
    select * from {{ ref('int_pue_matched') }}
),

grid as (
    select * from {{ ref('int_grid_factors_matched') }}
),

methods as (
    select 'amortised' as method
    union all
    select 'acquisition' as method
),

inputs as (
    select
        shares.asset_id,
        shares.reporting_year,
        shares.year_share,
        energy.energy_parameter_id,
        energy.energy_match_level,
        energy.energy_fallback,
        energy.energy_flag,
        energy.annual_energy_kwh,
        energy.annual_energy_kwh_min,
        energy.annual_energy_kwh_max,
        located.country_code,
        located.has_known_country,
        pue.pue_parameter_id,
        pue.pue_fallback,
        pue.pue_flag,
        coalesce(pue.pue, 1.0) as pue,
        coalesce(pue.pue_min, 1.0) as pue_min,
        coalesce(pue.pue_max, 1.0) as pue_max
    from shares
    inner join energy
        on
            shares.asset_id = energy.asset_id
            and shares.reporting_year = energy.reporting_year
    inner join located on shares.asset_id = located.asset_id
    left join pue
        on
            located.data_centre_id = pue.data_centre_id
            and shares.reporting_year = pue.reporting_year
),

final as (
    select
        inputs.asset_id,
        inputs.reporting_year,
        methods.method,
        'use' as stage,
        grid.criterion,
        inputs.annual_energy_kwh * inputs.pue * inputs.year_share * grid.value as value,
        inputs.annual_energy_kwh_min * inputs.pue_min * inputs.year_share * grid.value_min
            as value_min,
        inputs.annual_energy_kwh_max * inputs.pue_max * inputs.year_share * grid.value_max
            as value_max,
        grid.unit,
        grid.factor_id,
        grid.factor_set,
        case
            when grid.match_level = 'region' then 'region'
            when not inputs.has_known_country then 'default_country'
            else 'country'
        end as match_level,
        coalesce(grid.factor_fallback, inputs.energy_fallback, inputs.pue_fallback)
            as factor_fallback,
        coalesce(grid.flag, inputs.energy_flag, inputs.pue_flag) as factor_flag,
        inputs.energy_parameter_id,
        inputs.energy_match_level,
        inputs.pue_parameter_id
    from inputs
    inner join grid
        on
            inputs.country_code = grid.country_code
            and inputs.reporting_year = grid.reporting_year
    cross join methods
)

select * from final
