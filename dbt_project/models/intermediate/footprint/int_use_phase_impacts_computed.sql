-- Use phase per asset and reporting year (DESIGN.md, "Use"): annual energy × the grid intensity
-- of the site's country for that year × the share of the year the asset was in use (its in-use
-- periods, which stop at the as-of date); servers and storage, which live in data centres, also
-- × the PUE. The same figures serve both accounting methods.
with

in_use as (
    select * from {{ ref('int_hardware_assets_in_use_periods') }}
),

energy as (
    select * from {{ ref('int_hardware_assets_energised') }}
),

grid as (
    select * from {{ ref('int_grid_factors_matched') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

methods as (
    select 'amortised' as method
    union all
    select 'acquisition' as method
),

periods as (
    select
        in_use.asset_id,
        years.reporting_year,
        greatest(in_use.period_starts_on, years.year_starts_on) as period_starts_on,
        least(in_use.period_ends_on, years.next_year_starts_on) as period_ends_on,
        {{ days_between('years.year_starts_on', 'years.next_year_starts_on') }} as year_days
    from in_use
    inner join years
        on
            in_use.period_ends_on > years.year_starts_on
            and in_use.period_starts_on < years.next_year_starts_on
),

years_in_use as (
    select
        asset_id,
        reporting_year,
        sum(
            cast({{ days_between('period_starts_on', 'period_ends_on') }} as {{ type_double() }})
            / year_days
        ) as year_share
    from periods
    group by asset_id, reporting_year
),

final as (
    select
        years_in_use.asset_id,
        years_in_use.reporting_year,
        methods.method,
        'use' as stage,
        grid.criterion,
        energy.annual_energy_kwh * energy.pue * years_in_use.year_share * grid.value as value,
        energy.annual_energy_kwh_min * energy.pue * years_in_use.year_share * grid.value_min
            as value_min,
        energy.annual_energy_kwh_max * energy.pue * years_in_use.year_share * grid.value_max
            as value_max,
        grid.unit,
        grid.factor_id,
        grid.factor_set,
        energy.match_level
    from years_in_use
    inner join energy on years_in_use.asset_id = energy.asset_id
    inner join grid
        on
            energy.country_code = grid.country_code
            and years_in_use.reporting_year = grid.reporting_year
    cross join methods
)

select * from final
