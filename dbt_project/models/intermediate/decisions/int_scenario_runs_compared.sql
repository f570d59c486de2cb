-- Each scenario run's two variants side by side, per reporting year, method and criterion:
-- difference = scenario − baseline. Both variants are built from the same factors, so their
-- ranges move together: the difference's range is the difference of the low ends and of the
-- high ends (the lower of the two first). A year only one variant has counts 0 in the other.
with

runs as (
    select * from {{ ref('stg_scenarios__runs') }}
),

paired as (
    select
        scenario_name,
        run_at,
        max(scenario_title) as scenario_title,
        max(as_of_date) as as_of_date,
        max(factor_set) as factor_set,
        reporting_year,
        method,
        criterion,
        unit,
        coalesce(sum(case when variant = 'baseline' then value end), 0) as baseline_value,
        coalesce(sum(case when variant = 'baseline' then value_min end), 0) as baseline_value_min,
        coalesce(sum(case when variant = 'baseline' then value_max end), 0) as baseline_value_max,
        coalesce(sum(case when variant = 'scenario' then value end), 0) as scenario_value,
        coalesce(sum(case when variant = 'scenario' then value_min end), 0) as scenario_value_min,
        coalesce(sum(case when variant = 'scenario' then value_max end), 0) as scenario_value_max
    from runs
    group by scenario_name, run_at, reporting_year, method, criterion, unit
),

final as (
    select
        *,
        scenario_value - baseline_value as difference,
        least(
            scenario_value_min - baseline_value_min, scenario_value_max - baseline_value_max
        ) as difference_min,
        greatest(
            scenario_value_min - baseline_value_min, scenario_value_max - baseline_value_max
        ) as difference_max
    from paired
)

select * from final
