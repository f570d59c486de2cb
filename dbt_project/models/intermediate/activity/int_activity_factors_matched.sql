-- The factors of the activity sources, per key, stage, criterion and reporting year: vehicles
-- (per km), money ratios (per euro) and device categories' end of life (collected items),
-- chosen like every factor (macros/factor_choice.sql): a row valid in the year, else the
-- nearest in time, flagged in `factor_fallback`; then the factor set's precedence. Rows a
-- source states `not_covered` give no value. A factor without a range of its own gets the
-- documented relative range of a category-level figure of its quality (these are averages
-- over a class of vehicles, services or devices). An electric vehicle whose consumption
-- is given (parameter `energy_kwh_per_km`, scope `vehicle`, e.g. the organisation's own fleet
-- figure as an override) runs on the grid of the year: its use stage is kWh/km × the grid
-- intensity of the default country that year, every criterion the grid has.
with

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where
        value is not null
        and (scope in ('vehicle', 'money') or (scope = 'category' and stage = 'end_of_life'))
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

uncertainties as (
    select * from {{ ref('int_relative_uncertainties_chosen') }}
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

ranked as (
    select
        factors.scope,
        factors.factor_key,
        factors.stage,
        factors.criterion,
        years.reporting_year,
        factors.factor_id,
        factors.factor_set,
        factors.quality,
        factors.flag,
        factors.value,
        factors.value_min,
        factors.value_max,
        {{ dbt.split_part('factors.unit', "'/'", 1) }} as unit,
        {{ factor_fallback('factors.valid_from', 'factors.valid_to',
            'years.year_starts_on', 'years.next_year_starts_on') }} as factor_fallback,
        {{ factor_rank(
            ['factors.scope', 'factors.factor_key', 'factors.stage', 'factors.criterion',
             'years.reporting_year'],
            valid_from='factors.valid_from',
            valid_to='factors.valid_to',
            starts_on='years.year_starts_on',
            ends_on='years.next_year_starts_on',
            precedence='factors.precedence',
            row_id='factors.factor_id'
        ) }} as candidate_rank
    from factors
    cross join years
),

published as (
    select
        ranked.scope,
        ranked.factor_key,
        ranked.stage,
        ranked.criterion,
        ranked.reporting_year,
        ranked.factor_id,
        ranked.factor_set,
        'category' as match_level,
        ranked.flag as factor_flag,
        ranked.factor_fallback,
        {{ ranged_columns('ranked', 'uncertainties') }},
        ranked.unit
    from ranked
    left join uncertainties
        on 'category|' || coalesce(ranked.quality, '') = uncertainties.uncertainty_key
    where ranked.candidate_rank = 1
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
        grid.match_level,
        grid.flag as factor_flag,
        grid.factor_fallback,
        consumptions.kwh_per_km * grid.value as value,
        consumptions.kwh_per_km * grid.value_min as value_min,
        consumptions.kwh_per_km * grid.value_max as value_max,
        grid.unit
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
        published.match_level,
        published.factor_flag,
        published.factor_fallback,
        published.value,
        published.value_min,
        published.value_max,
        published.unit
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
