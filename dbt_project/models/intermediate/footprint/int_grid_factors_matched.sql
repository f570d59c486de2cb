-- The grid intensity for each country of the fleet, each year equipment was in use and each
-- criterion (macros/factor_choice.sql): a row of the country's series valid that year, else
-- its nearest year (flagged in `factor_fallback`), never another source's row (one source per
-- series); a country with no series at all takes the region `grid_fallback_region` (match
-- level `region`). A factor without a range of its own
-- gets the documented relative range of a category-level figure of its quality: a country's
-- grid intensity is an average over its electricity, as a category default is over devices.
with

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where scope = 'grid' and value is not null
),

countries as (
    select distinct country_code from {{ ref('int_hardware_assets_located') }}
),

years as (
    select distinct
        reporting_year,
        year_starts_on,
        next_year_starts_on
    from {{ ref('int_use_phase_shares_allocated') }}
),

uncertainties as (
    select * from {{ ref('int_relative_uncertainties_chosen') }}
),

-- The series of the country itself, else the region's.
candidates as (
    select
        countries.country_code,
        'country' as match_level,
        factors.*
    from countries
    inner join factors on countries.country_code = factors.factor_key
    union all
    select
        countries.country_code,
        'region' as match_level,
        factors.*
    from countries
    inner join factors on factors.factor_key = '{{ var("grid_fallback_region") }}'
    where countries.country_code not in (select series.factor_key from factors as series)
),

ranked as (
    select
        candidates.country_code,
        years.reporting_year,
        candidates.criterion,
        candidates.match_level,
        candidates.factor_id,
        candidates.factor_set,
        candidates.quality,
        candidates.flag,
        candidates.value,
        candidates.value_min,
        candidates.value_max,
        {{ dbt.split_part('candidates.unit', "'/'", 1) }} as unit,
        {{ factor_fallback('candidates.valid_from', 'candidates.valid_to',
            'years.year_starts_on', 'years.next_year_starts_on') }} as factor_fallback,
        {{ factor_rank(
            ['candidates.country_code', 'years.reporting_year', 'candidates.criterion'],
            valid_from='candidates.valid_from',
            valid_to='candidates.valid_to',
            starts_on='years.year_starts_on',
            ends_on='years.next_year_starts_on',
            precedence='candidates.precedence',
            row_id='candidates.factor_id'
        ) }} as candidate_rank
    from candidates
    cross join years
),

final as (
    select
        ranked.country_code,
        ranked.reporting_year,
        ranked.criterion,
        ranked.match_level,
        ranked.factor_id,
        ranked.factor_set,
        ranked.flag,
        ranked.factor_fallback,
        {{ ranged_columns('ranked', 'uncertainties') }},
        ranked.unit
    from ranked
    left join uncertainties
        on 'category|' || coalesce(ranked.quality, '') = uncertainties.uncertainty_key
    where ranked.candidate_rank = 1
)

select * from final
