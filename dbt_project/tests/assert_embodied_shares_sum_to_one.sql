{{ config(meta={'dagster': {'ref': {'name': 'int_embodied_shares_allocated'}}}) }}
-- Both accounting methods book an asset's whole embodied impact over its life (DESIGN.md):
-- per stage, its amortised shares sum to 1 over its years, and so do its acquisition shares of
-- manufacturing and distribution; its acquisition end of life sums to 1 once it is disposed
-- (0 before). Every share falls in a year of the spine. Assets acquired before the first
-- reporting year (`first_reporting_year`) lose their earlier years by configuration and are
-- left out. Rows returned are assets, stages and methods whose shares do not add up.
with

shares as (
    select * from {{ ref('int_embodied_shares_allocated') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

spine as (
    select min(year_starts_on) as spine_starts_on from years
),

methods as (
    select 'amortised' as method
    union all
    select 'acquisition' as method
),

stages as (
    {{ embodied_stages() }}
),

totals as (
    select
        shares.asset_id,
        shares.method,
        shares.stage,
        sum(shares.share) as total
    from shares
    inner join years on shares.reporting_year = years.reporting_year
    group by shares.asset_id, shares.method, shares.stage
),

expected as (
    select
        dates.asset_id,
        methods.method,
        stages.stage,
        case
            when methods.method = 'acquisition' and stages.stage = 'end_of_life'
                then case when dates.disposed_on is null then 0 else 1 end
            else 1
        end as total
    from dates
    cross join spine
    cross join methods
    cross join stages
    where dates.acquired_on >= spine.spine_starts_on
)

select
    expected.asset_id,
    expected.method,
    expected.stage,
    expected.total as expected_total,
    totals.total as actual_total
from expected
left join totals
    on
        expected.asset_id = totals.asset_id
        and expected.method = totals.method
        and expected.stage = totals.stage
where abs(coalesce(totals.total, 0) - expected.total) > 1e-9
