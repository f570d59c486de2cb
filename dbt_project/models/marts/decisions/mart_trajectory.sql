-- The footprint year by year against its target path to 2050 (DESIGN.md, "Trajectory"): one
-- row per reporting year (from the baseline year `baseline_year` to 2050) × method ×
-- criterion, with the year-over-year change, the target (the baseline year's footprint × the
-- target share of int_trajectory_targets_interpolated) and the gap to it. The baseline is
-- recomputed with the run's factor set; where it was published under another factor set
-- (editions), that figure is kept beside it (restatement).
with

footprint as (
    select * from {{ ref('fct_footprint_yearly') }}
),

years as (
    select * from {{ ref('dim_reporting_years') }}
    where reporting_year between {{ var('baseline_year') }} and 2050
),

targets as (
    select * from {{ ref('int_trajectory_targets_interpolated') }}
),

published as (
    select * from {{ ref('stg_editions__published_footprints') }}
    where reporting_year = {{ var('baseline_year') }}
),

actuals as (
    select
        factor_set,
        reporting_year,
        method,
        criterion,
        unit,
        sum(value) as value,
        sum(value_min) as value_min,
        sum(value_max) as value_max
    from footprint
    group by factor_set, reporting_year, method, criterion, unit
),

series as (
    select distinct
        factor_set,
        method,
        criterion,
        unit
    from actuals
),

baselines as (
    select * from actuals
    where reporting_year = {{ var('baseline_year') }}
),

-- The baseline as published under each other factor set, the earliest published first.
published_baselines as (
    select
        factor_set,
        method,
        criterion,
        max(published_at) as published_at,
        sum(value) as value
    from published
    where factor_set not in (select series.factor_set from series)
    group by factor_set, method, criterion
),

first_published as (
    select
        *,
        row_number() over (
            partition by method, criterion order by published_at, factor_set
        ) as publication_rank
    from published_baselines
),

yearly as (
    select
        years.reporting_year,
        years.year_status,
        years.as_of_date,
        series.factor_set,
        series.method,
        series.criterion,
        series.unit,
        actuals.value,
        actuals.value_min,
        actuals.value_max,
        lag(actuals.value) over (
            partition by series.method, series.criterion order by years.reporting_year
        ) as previous_year_value
    from years
    cross join series
    left join actuals
        on
            years.reporting_year = actuals.reporting_year
            and series.method = actuals.method
            and series.criterion = actuals.criterion
),

final as (
    select
        yearly.reporting_year,
        yearly.year_status,
        yearly.as_of_date,
        yearly.method,
        yearly.criterion,
        yearly.unit,
        yearly.factor_set,
        yearly.value,
        yearly.value_min,
        yearly.value_max,
        yearly.previous_year_value,
        yearly.value - yearly.previous_year_value as year_over_year_change,
        (yearly.value - yearly.previous_year_value) / nullif(yearly.previous_year_value, 0)
            as year_over_year_change_ratio,
        {{ var('baseline_year') }} as baseline_year,
        baselines.value as baseline_value,
        targets.target_share_of_baseline,
        baselines.value * targets.target_share_of_baseline as target_value,
        yearly.value - baselines.value * targets.target_share_of_baseline as gap_to_target,
        -- Only a complete year is judged: a year to date or to come is not over.
        case
            when yearly.year_status = 'complete'
                then yearly.value <= baselines.value * targets.target_share_of_baseline
        end as is_on_track,
        targets.target_source,
        targets.target_source_url,
        targets.target_source_year,
        first_published.factor_set as published_baseline_factor_set,
        first_published.value as published_baseline_value
    from yearly
    left join baselines
        on
            yearly.method = baselines.method
            and yearly.criterion = baselines.criterion
    left join targets
        on
            yearly.reporting_year = targets.reporting_year
            and yearly.criterion = targets.criterion
    left join first_published
        on
            yearly.method = first_published.method
            and yearly.criterion = first_published.criterion
            and first_published.publication_rank = 1
)

select * from final
