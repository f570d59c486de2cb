-- The factors of the activity sources, per key, stage, criterion and reporting year: vehicles
-- (per km), money ratios (per euro) and device categories' end of life (collected items). A
-- year takes the row valid in it; where none is, the nearest row in time, flagged in
-- `factor_fallback`; then the factor set's precedence.
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

final as (
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
)

select * from final
