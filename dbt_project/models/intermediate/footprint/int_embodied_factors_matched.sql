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

-- Assets with the same candidates and the same acquisition day get the same factors: the
-- choice is made once per such profile rather than once per asset (a fleet has far fewer
-- profiles than assets), then given back to each asset.
asset_profiles as (
    select
        candidates.asset_id,
        cast(dates.acquired_on as {{ dbt.type_string() }})
        || '|'
        || {{ sorted_string_agg(
            "cast(candidates.match_rank as " ~ dbt.type_string() ~ ") || '=' || candidates.factor_key",
            "'|'"
        ) }} as profile_key
    from candidates
    inner join dates on candidates.asset_id = dates.asset_id
    group by candidates.asset_id, dates.acquired_on
),

profile_candidates as (
    select distinct
        asset_profiles.profile_key,
        dates.acquired_on,
        candidates.match_level,
        candidates.match_rank,
        candidates.factor_key
    from asset_profiles
    inner join candidates on asset_profiles.asset_id = candidates.asset_id
    inner join dates on asset_profiles.asset_id = dates.asset_id
),

ranked as (
    select
        profile_candidates.profile_key,
        profile_candidates.match_level,
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
        {{ factor_fallback('factors.valid_from', 'factors.valid_to',
            'profile_candidates.acquired_on', add_days('profile_candidates.acquired_on', 1)) }}
            as factor_fallback,
        {{ factor_rank(
            ['profile_candidates.profile_key', 'factors.stage', 'factors.criterion'],
            valid_from='factors.valid_from',
            valid_to='factors.valid_to',
            starts_on='profile_candidates.acquired_on',
            ends_on=add_days('profile_candidates.acquired_on', 1),
            specificity='profile_candidates.match_rank',
            precedence='factors.precedence',
            row_id='factors.factor_id'
        ) }} as candidate_rank
    from profile_candidates
    inner join factors
        on
            profile_candidates.match_level = factors.scope
            and profile_candidates.factor_key = factors.factor_key
),

final as (
    select
        asset_profiles.asset_id,
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
    inner join asset_profiles on ranked.profile_key = asset_profiles.profile_key
    left join uncertainties
        on ranked.match_level || '|' || coalesce(ranked.quality, '') = uncertainties.uncertainty_key
    where ranked.candidate_rank = 1
)

select * from final
