{{ config(materialized='view') }}
-- Use phase per asset and reporting year (DESIGN.md, "Use"): annual energy × the grid
-- intensity of the site's country for that year × the share of the year in use (which stops at
-- the as-of date) × the PUE of the data centre the asset sits in (1 elsewhere); the inputs but
-- the grid come joined (int_use_phase_inputs_joined). The same figures serve both accounting
-- methods. Each row names the grid factor (`factor_id`), the annual energy and the PUE behind
-- it; `factor_fallback` and `factor_flag` report the first of the grid factor, the energy
-- figure and the PUE that fell back or carries a source flag.
with

inputs as (
    select * from {{ ref('int_use_phase_inputs_joined') }}
),

grid as (
    select * from {{ ref('int_grid_factors_matched') }}
),

methods as (
    {{ accounting_methods() }}
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
