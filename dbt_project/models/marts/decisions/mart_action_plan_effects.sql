-- Action plans (var `action_plans`: a scenario adopted from a start date), year by year from
-- the start year: the planned effect beside the measured one.
--   planned effect  the difference (scenario − baseline) of the run the plan adopted: its
--                   scenario's latest run computed as of the start date or before, else its
--                   first run;
--   measured change the year's actual footprint − that of the year before the start (the
--                   plan's reference year), for years started when the plan has started: what
--                   changed since, whatever changed it.
with

plans as (
    {{ configured_rows(var('action_plans'), [
        ('plan', 'string'), ('scenario', 'string'), ('starts_on', 'date')
    ]) }}
),

compared as (
    select * from {{ ref('int_scenario_runs_compared') }}
),

footprint as (
    select * from {{ ref('fct_footprint_yearly') }}
),

years as (
    select * from {{ ref('dim_reporting_years') }}
),

runs as (
    select distinct
        scenario_name,
        run_at,
        as_of_date
    from compared
),

adopted as (
    select
        plans.plan,
        plans.scenario,
        plans.starts_on,
        runs.run_at,
        row_number() over (
            partition by plans.plan
            order by
                case when runs.as_of_date <= plans.starts_on then 0 else 1 end,
                case when runs.as_of_date <= plans.starts_on then runs.run_at end desc nulls last,
                runs.run_at
        ) as run_rank
    from plans
    inner join runs on plans.scenario = runs.scenario_name
),

actuals as (
    select
        reporting_year,
        method,
        criterion,
        sum(value) as value
    from footprint
    group by reporting_year, method, criterion
),

final as (
    select
        adopted.plan,
        adopted.scenario as scenario_name,
        adopted.starts_on,
        adopted.run_at,
        years.as_of_date,
        years.as_of_date >= adopted.starts_on as has_started,
        compared.reporting_year,
        years.year_status,
        compared.method,
        compared.criterion,
        compared.unit,
        compared.difference as planned_effect,
        compared.difference_min as planned_effect_min,
        compared.difference_max as planned_effect_max,
        {{ year_of('adopted.starts_on') }} - 1 as reference_year,
        reference_actuals.value as reference_value,
        actuals.value,
        case
            when
                years.as_of_date >= adopted.starts_on
                and years.year_status in ('complete', 'year_to_date')
                then actuals.value - reference_actuals.value
        end as measured_change
    from adopted
    inner join compared
        on
            adopted.scenario = compared.scenario_name
            and adopted.run_at = compared.run_at
            and compared.reporting_year >= {{ year_of('adopted.starts_on') }}
    inner join years on compared.reporting_year = years.reporting_year
    left join actuals
        on
            compared.reporting_year = actuals.reporting_year
            and compared.method = actuals.method
            and compared.criterion = actuals.criterion
    left join actuals as reference_actuals
        on
            reference_actuals.reporting_year = {{ year_of('adopted.starts_on') }} - 1
            and compared.method = reference_actuals.method
            and compared.criterion = reference_actuals.criterion
    where adopted.run_rank = 1
)

select * from final
