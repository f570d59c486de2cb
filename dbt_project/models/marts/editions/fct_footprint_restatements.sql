-- Each year's footprint under the current factor set beside the figure published under every
-- other factor set: what a change of edition restates, never silently.
with

current_footprint as (
    select * from {{ ref('fct_footprint_yearly') }}
),

published as (
    select * from {{ ref('stg_editions__published_footprints') }}
),

current_totals as (
    select
        factor_set,
        reporting_year,
        method,
        criterion,
        unit,
        sum(value) as value
    from current_footprint
    group by factor_set, reporting_year, method, criterion, unit
),

published_totals as (
    select
        factor_set,
        max(published_at) as published_at,
        reporting_year,
        method,
        criterion,
        sum(value) as value
    from published
    group by factor_set, reporting_year, method, criterion
),

final as (
    select
        current_totals.reporting_year,
        current_totals.method,
        current_totals.criterion,
        current_totals.unit,
        current_totals.factor_set,
        current_totals.value,
        published_totals.factor_set as published_factor_set,
        published_totals.published_at,
        published_totals.value as published_value,
        current_totals.value - published_totals.value as change_since_published
    from current_totals
    inner join published_totals
        on
            current_totals.reporting_year = published_totals.reporting_year
            and current_totals.method = published_totals.method
            and current_totals.criterion = published_totals.criterion
            and current_totals.factor_set != published_totals.factor_set
)

select * from final
