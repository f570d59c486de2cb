-- The grid intensity for each country of the fleet and each reporting year, per criterion: the
-- row valid that year, else the latest one published before it, then the factor set's
-- precedence.
with

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where scope = 'grid'
),

countries as (
    select distinct country_code from {{ ref('int_hardware_assets_energised') }}
),

years as (
    select * from {{ ref('int_reporting_years') }}
),

ranked as (
    select
        countries.country_code,
        years.reporting_year,
        factors.criterion,
        factors.factor_id,
        factors.factor_set,
        factors.value,
        factors.value_min,
        factors.value_max,
        {{ dbt.split_part('factors.unit', "'/'", 1) }} as unit,
        row_number() over (
            partition by countries.country_code, years.reporting_year, factors.criterion
            order by
                case
                    when
                        factors.valid_from < years.next_year_starts_on
                        and (
                            factors.valid_to is null
                            or factors.valid_to >= years.year_starts_on
                        )
                        then 0
                    when factors.valid_from < years.next_year_starts_on then 1
                    else 2
                end,
                factors.precedence asc,
                factors.valid_from desc
        ) as candidate_rank
    from countries
    cross join years
    inner join factors on countries.country_code = factors.factor_key
),

final as (
    select
        country_code,
        reporting_year,
        criterion,
        factor_id,
        factor_set,
        value,
        value_min,
        value_max,
        unit
    from ranked
    where candidate_rank = 1
)

select * from final
