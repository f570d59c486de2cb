-- The share of each reporting year an asset was in use (DESIGN.md, "Use"): the days of the
-- year inside its in-use periods / the days in the year. The current year counts the days up
-- to the as-of date (the periods stop there).
with

in_use as (
    select * from {{ ref('int_hardware_assets_in_use_periods') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

periods as (
    select
        in_use.asset_id,
        years.reporting_year,
        years.year_starts_on,
        years.next_year_starts_on,
        greatest(in_use.period_starts_on, years.year_starts_on) as period_starts_on,
        least(in_use.period_ends_on, years.next_year_starts_on) as period_ends_on
    from in_use
    inner join years
        on
            in_use.period_ends_on > years.year_starts_on
            and in_use.period_starts_on < years.next_year_starts_on
),

final as (
    select
        asset_id,
        reporting_year,
        year_starts_on,
        next_year_starts_on,
        -- The days are summed before the division: a sum of whole numbers is exact in any
        -- order, where a sum of fractions may differ in its last bit with the order the
        -- engine adds them in (a night's rows must equal a full rebuild's, bit for bit).
        cast(sum({{ days_between('period_starts_on', 'period_ends_on') }}) as {{ type_double() }})
        / {{ days_between('year_starts_on', 'next_year_starts_on') }} as year_share
    from periods
    group by asset_id, reporting_year, year_starts_on, next_year_starts_on
)

select * from final
