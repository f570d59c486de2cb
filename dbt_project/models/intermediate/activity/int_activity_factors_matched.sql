-- The factors of the activity sources, per key, stage, criterion and reporting year: vehicles
-- (per km), money ratios (per euro) and device categories' end of life (collected items). A
-- year takes the row valid in it; where none is, the nearest row in time, flagged in
-- `factor_fallback`; then the factor set's precedence. An electric vehicle whose consumption
-- is given (parameter `energy_kwh_per_km`, scope `vehicle`, e.g. the organisation's own fleet
-- figure as an override) runs on the grid of the year: its use stage is kWh/km × the grid
-- intensity of the default country that year, every criterion the grid has.
with

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where
        scope in ('vehicle', 'money')
        or (scope = 'category' and stage = 'end_of_life')
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

consumptions as (
    select
        parameter_key as factor_key,
        value as kwh_per_km,
        row_number() over (
            partition by parameter_key order by precedence asc, valid_from desc
        ) as candidate_rank
    from {{ ref('stg_factors__parameters') }}
    where parameter = 'energy_kwh_per_km' and scope = 'vehicle'
),

grid as (
    select * from {{ ref('int_grid_factors_matched') }}
    where country_code = '{{ var("default_country_code") }}'
),

candidates as (
    select
        factors.scope,
        factors.factor_key,
        factors.stage,
        factors.criterion,
        years.reporting_year,
        factors.factor_id,
        factors.factor_set,
        factors.value,
        coalesce(factors.value_min, factors.value) as value_min,
        coalesce(factors.value_max, factors.value) as value_max,
        {{ dbt.split_part('factors.unit', "'/'", 1) }} as unit,
        case
            when factors.valid_to < years.year_starts_on then 'nearest_earlier_year'
            when factors.valid_from >= years.next_year_starts_on then 'nearest_later_year'
        end as factor_fallback,
        factors.precedence,
        factors.valid_from
    from factors
    cross join years
),

ranked as (
    select
        *,
        row_number() over (
            partition by scope, factor_key, stage, criterion, reporting_year
            order by
                case when factor_fallback is null then 0 else 1 end asc,
                precedence asc,
                case when factor_fallback = 'nearest_later_year' then valid_from end asc,
                valid_from desc,
                factor_id asc
        ) as candidate_rank
    from candidates
),

published as (
    select
        scope,
        factor_key,
        stage,
        criterion,
        reporting_year,
        factor_id,
        factor_set,
        value,
        value_min,
        value_max,
        unit,
        factor_fallback
    from ranked
    where candidate_rank = 1
),

on_the_grid as (
    select
        'vehicle' as scope,
        consumptions.factor_key,
        'use' as stage,
        grid.criterion,
        grid.reporting_year,
        grid.factor_id,
        grid.factor_set,
        consumptions.kwh_per_km * grid.value as value,
        consumptions.kwh_per_km * coalesce(grid.value_min, grid.value) as value_min,
        consumptions.kwh_per_km * coalesce(grid.value_max, grid.value) as value_max,
        grid.unit,
        cast(null as {{ dbt.type_string() }}) as factor_fallback
    from consumptions
    cross join grid
    where consumptions.candidate_rank = 1
),

final as (
    select
        published.scope,
        published.factor_key,
        published.stage,
        published.criterion,
        published.reporting_year,
        published.factor_id,
        published.factor_set,
        published.value,
        published.value_min,
        published.value_max,
        published.unit,
        published.factor_fallback
    from published
    left join on_the_grid
        on
            published.scope = on_the_grid.scope
            and published.factor_key = on_the_grid.factor_key
            and published.stage = on_the_grid.stage
            and published.reporting_year = on_the_grid.reporting_year
    where on_the_grid.factor_key is null
    union all
    select * from on_the_grid
)

select * from final
