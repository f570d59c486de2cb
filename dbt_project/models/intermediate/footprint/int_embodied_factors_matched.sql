-- The factor behind each asset's embodied impact, per stage and criterion (macros/
-- factor_choice.sql): a figure valid on the acquisition date first (else the nearest,
-- flagged), then the most specific level (configuration > model > manufacturer and category >
-- category), then the factor set's precedence. Rows a source states as not covered give no
-- value (int_footprint_gaps_listed counts them). A factor without a range of its own gets the
-- documented relative range of its match level and quality.
with

candidates as (
    select * from {{ ref('int_embodied_factor_candidates_listed') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where stage in ('manufacturing', 'distribution', 'end_of_life') and value is not null
),

uncertainties as (
    select * from {{ ref('int_relative_uncertainties_chosen') }}
),

ranked as (
    select
        candidates.asset_id,
        candidates.match_level,
        factors.stage,
        factors.criterion,
        factors.factor_id,
        factors.factor_set,
        factors.quality,
        factors.flag,
        factors.value,
        factors.value_min,
        factors.value_max,
        {{ dbt.split_part('factors.unit', "'/'", 1) }} as unit,
        {{ factor_fallback('factors.valid_from', 'factors.valid_to', 'dates.acquired_on',
            add_days('dates.acquired_on', 1)) }} as factor_fallback,
        {{ factor_rank(
            ['candidates.asset_id', 'factors.stage', 'factors.criterion'],
            valid_from='factors.valid_from',
            valid_to='factors.valid_to',
            starts_on='dates.acquired_on',
            ends_on=add_days('dates.acquired_on', 1),
            specificity='candidates.match_rank',
            precedence='factors.precedence',
            row_id='factors.factor_id'
        ) }} as candidate_rank
    from candidates
    inner join dates on candidates.asset_id = dates.asset_id
    inner join factors
        on
            candidates.match_level = factors.scope
            and candidates.factor_key = factors.factor_key
),

final as (
    select
        ranked.asset_id,
        ranked.stage,
        ranked.criterion,
        ranked.match_level,
        ranked.factor_id,
        ranked.factor_set,
        ranked.quality,
        ranked.flag,
        ranked.factor_fallback,
        {{ ranged_columns('ranked', 'uncertainties') }},
        ranked.unit
    from ranked
    left join uncertainties
        on ranked.match_level || '|' || coalesce(ranked.quality, '') = uncertainties.uncertainty_key
    where ranked.candidate_rank = 1
)

select * from final
