-- The footprint summed per year, method, stage, criterion, town and category: the figures a
-- report quotes, and the ones archived per factor set when published (see editions). Each year
-- says whether it is complete, to date or future (dim_reporting_years): filter on
-- `year_status = 'complete'` to compare years.
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

towns as (
    select * from {{ ref('dim_towns') }}
),

years as (
    select * from {{ ref('dim_reporting_years') }}
),

totals as (
    select
        factor_set,
        reporting_year,
        method,
        stage,
        criterion,
        source_kind,
        town_id,
        device_category,
        unit,
        -- fct_footprint is unique on year × item × stage × criterion × method: within a group
        -- each item has one row, so counting rows counts items (no distinct needed).
        count(*) as items,
        sum(value) as value,
        sum(value_min) as value_min,
        sum(value_max) as value_max
    from footprint
    group by
        factor_set,
        reporting_year,
        method,
        stage,
        criterion,
        source_kind,
        town_id,
        device_category,
        unit
),

final as (
    select
        totals.factor_set,
        totals.reporting_year,
        years.year_status,
        years.as_of_date,
        totals.method,
        totals.stage,
        totals.criterion,
        totals.source_kind,
        totals.town_id,
        towns.town_name,
        totals.device_category,
        totals.unit,
        totals.items,
        totals.value,
        totals.value_min,
        totals.value_max
    from totals
    inner join years on totals.reporting_year = years.reporting_year
    left join towns on totals.town_id = towns.town_id
)

select * from final
