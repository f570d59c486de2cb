-- The factor behind each asset's embodied impact, per stage and criterion (macros/
-- factor_choice.sql, `embodied_factors_chosen`): a figure valid on the acquisition date first
-- (else the nearest, flagged), then the most specific level (configuration > model >
-- manufacturer and category > category), then the factor set's precedence. Rows a source
-- states as not covered give no value (int_footprint_gaps_listed counts them). A factor without
-- a range of its own gets the documented relative range of its match level and quality.
with

candidates as (
    select * from {{ ref('int_embodied_factor_candidates_listed') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
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
        || {{ embodied_candidates_key('candidates.match_rank', 'candidates.factor_key') }}
            as profile_key
    from candidates
    inner join dates on candidates.asset_id = dates.asset_id
    group by candidates.asset_id, dates.acquired_on
),

profile_candidates as (
    select distinct
        asset_profiles.profile_key,
        candidates.match_level,
        candidates.match_rank,
        candidates.factor_key,
        dates.acquired_on as chosen_on
    from asset_profiles
    inner join candidates on asset_profiles.asset_id = candidates.asset_id
    inner join dates on asset_profiles.asset_id = dates.asset_id
),

chosen as (
    {{ embodied_factors_chosen('profile_candidates', 'profile_key') }}
),

final as (
    select
        asset_profiles.asset_id,
        chosen.stage,
        chosen.criterion,
        chosen.match_level,
        chosen.factor_id,
        chosen.factor_set,
        chosen.quality,
        chosen.flag,
        chosen.factor_fallback,
        chosen.value,
        chosen.value_min,
        chosen.value_max,
        chosen.unit
    from chosen
    inner join asset_profiles on chosen.profile_key = asset_profiles.profile_key
)

select * from final
