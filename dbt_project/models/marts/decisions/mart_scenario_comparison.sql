-- Each scenario's latest run against its baseline, per reporting year, method and criterion
-- (int_scenario_runs_compared), with the status of the year at the run's as-of date.
with

compared as (
    select * from {{ ref('int_scenario_runs_compared') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

latest_runs as (
    select
        scenario_name,
        max(run_at) as run_at
    from compared
    group by scenario_name
),

final as (
    select
        compared.scenario_name,
        compared.scenario_title,
        compared.run_at,
        compared.as_of_date,
        compared.factor_set,
        compared.reporting_year,
        case
            when years.next_year_starts_on <= compared.as_of_date then 'complete'
            when years.year_starts_on < compared.as_of_date then 'year_to_date'
            else 'future'
        end as year_status,
        compared.method,
        compared.criterion,
        compared.unit,
        compared.baseline_value,
        compared.baseline_value_min,
        compared.baseline_value_max,
        compared.scenario_value,
        compared.scenario_value_min,
        compared.scenario_value_max,
        compared.difference,
        compared.difference_min,
        compared.difference_max,
        compared.difference / nullif(compared.baseline_value, 0) as difference_ratio
    from compared
    inner join latest_runs
        on
            compared.scenario_name = latest_runs.scenario_name
            and compared.run_at = latest_runs.run_at
    inner join years on compared.reporting_year = years.reporting_year
)

select * from final
