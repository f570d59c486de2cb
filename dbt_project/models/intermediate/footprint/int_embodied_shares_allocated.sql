-- The share of an asset's embodied impact each reporting year receives, per stage and method
-- (DESIGN.md, "Two accounting conventions"):
--   amortised:   E × (days of the year inside [acquired_on, window_end)) / (days in the window);
--                an asset disposed before window_end books the remaining share in its
--                disposal year, so the shares of an asset always sum to 1;
--   acquisition: manufacturing and distribution whole in the acquisition year, end of life
--                whole in the disposal year (none while the asset is still held).
with

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

lifetimes as (
    select * from {{ ref('int_lifetimes_matched') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

stages as (
    {{ embodied_stages() }}
),

windows as (
    select
        dates.asset_id,
        dates.acquired_on,
        dates.disposed_on,
        {{ add_months('dates.acquired_on', 'lifetimes.lifetime_months') }} as window_ends_on
    from dates
    inner join lifetimes on dates.asset_id = lifetimes.asset_id
),

bounded as (
    select
        *,
        {{ days_between('acquired_on', 'window_ends_on') }} as window_days,
        {{ add_days('window_ends_on', -1) }} as window_last_day
    from windows
),

-- The last year that receives a share: the disposal year of an asset disposed early.
last_years as (
    select
        *,
        case
            when disposed_on < window_ends_on then {{ year_of('disposed_on') }}
            else {{ year_of('window_last_day') }}
        end as last_year
    from bounded
),

periods as (
    select
        last_years.asset_id,
        last_years.window_days,
        years.reporting_year,
        greatest(last_years.acquired_on, years.year_starts_on) as period_starts_on,
        case
            when years.reporting_year = last_years.last_year then last_years.window_ends_on
            else least(last_years.window_ends_on, years.next_year_starts_on)
        end as period_ends_on
    from last_years
    inner join years
        on
            {{ year_of('last_years.acquired_on') }} <= years.reporting_year
            and last_years.last_year >= years.reporting_year
),

amortised as (
    select
        asset_id,
        'amortised' as method,
        reporting_year,
        cast({{ days_between('period_starts_on', 'period_ends_on') }} as {{ type_double() }})
        / window_days as share
    from periods
),

acquisition as (
    select
        dates.asset_id,
        'acquisition' as method,
        {{ year_of('dates.acquired_on') }} as reporting_year,
        stages.stage,
        1.0 as share
    from dates
    cross join stages
    where stages.stage in ('manufacturing', 'distribution')
    union all
    select
        asset_id,
        'acquisition' as method,
        {{ year_of('disposed_on') }} as reporting_year,
        'end_of_life' as stage,
        1.0 as share
    from dates
    where disposed_on is not null
),

final as (
    select
        amortised.asset_id,
        amortised.method,
        amortised.reporting_year,
        stages.stage,
        amortised.share
    from amortised
    cross join stages
    union all
    select
        asset_id,
        method,
        reporting_year,
        stage,
        share
    from acquisition
)

select * from final
