-- What is missing from the assets' footprint, per device category, life-cycle stage and
-- criterion, with the number of assets concerned: a stage with no figure for a criterion the
-- asset's factors do give elsewhere. `gap_reason`:
--   not_covered       a source states that it does not cover this stage and criterion (a
--                     factor row flagged 'not_covered', e.g. servers' end of life);
--   no_factor         no factor row with a value for this stage and criterion;
--   no_annual_energy  in use, but no annual energy figure for its model or category.
-- An embodied stage has a figure when one of the asset's candidate factors gives it a value:
-- int_embodied_factors_matched then picks one of them (embodied_factors_chosen), whatever the
-- acquisition date. So assets with the same candidates have the same embodied gaps: they are
-- worked out once per such profile (a fleet has far fewer profiles than assets) and counted
-- once per profile and device category. A row per asset and gap (94 million at 2.5 million
-- assets) was written until an L night ran out of DuckDB's 2GB in it (docs/performance-log.md,
-- "The sixth run", "The eighth run"). Read by fct_footprint_gaps.
with

candidates as (
    select * from {{ ref('int_embodied_factor_candidates_listed') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where stage in ('manufacturing', 'distribution', 'end_of_life')
),

use_shares as (
    select distinct asset_id from {{ ref('int_use_phase_shares_allocated') }}
),

energy as (
    select distinct asset_id from {{ ref('int_annual_energy_matched') }}
),

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

stages as (
    {{ embodied_stages() }}
),

asset_profiles as (
    select
        asset_id,
        {{ embodied_candidates_key('match_rank', 'factor_key') }} as profile_key
    from candidates
    group by asset_id
),

-- One asset stands for each profile: its candidates are the profile's.
profiles as (
    select
        profile_key,
        min(asset_id) as asset_id
    from asset_profiles
    group by profile_key
),

-- Per profile, stage and criterion: whether a candidate gives a value, whether a source
-- states it as not covered.
stated as (
    select
        profiles.profile_key,
        factors.stage,
        factors.criterion,
        max(case when factors.value is not null then 1 else 0 end) = 1 as has_value,
        max(case when factors.flag = 'not_covered' then 1 else 0 end) = 1 as is_not_covered
    from profiles
    inner join candidates on profiles.asset_id = candidates.asset_id
    inner join factors
        on
            candidates.match_level = factors.scope
            and candidates.factor_key = factors.factor_key
    group by profiles.profile_key, factors.stage, factors.criterion
),

criteria as (
    select distinct
        profile_key,
        criterion
    from stated
),

profile_gaps as (
    select
        criteria.profile_key,
        stages.stage,
        criteria.criterion,
        case when stated.is_not_covered then 'not_covered' else 'no_factor' end as gap_reason
    from criteria
    cross join stages
    left join stated
        on
            criteria.profile_key = stated.profile_key
            and stages.stage = stated.stage
            and criteria.criterion = stated.criterion
    where not coalesce(stated.has_value, false)
),

-- Per profile and device category: its assets, and those in use without an energy figure.
profile_assets as (
    select
        asset_profiles.profile_key,
        assets.device_category,
        count(*) as items,
        count(
            case when use_shares.asset_id is not null and energy.asset_id is null then 1 end
        ) as items_without_energy
    from asset_profiles
    inner join assets on asset_profiles.asset_id = assets.asset_id
    left join use_shares on asset_profiles.asset_id = use_shares.asset_id
    left join energy on asset_profiles.asset_id = energy.asset_id
    group by asset_profiles.profile_key, assets.device_category
),

embodied_gaps as (
    select
        profile_assets.device_category,
        profile_gaps.stage,
        profile_gaps.criterion,
        profile_gaps.gap_reason,
        profile_assets.items
    from profile_gaps
    inner join profile_assets on profile_gaps.profile_key = profile_assets.profile_key
),

use_gaps as (
    select
        profile_assets.device_category,
        'use' as stage,
        criteria.criterion,
        'no_annual_energy' as gap_reason,
        profile_assets.items_without_energy as items
    from profile_assets
    inner join criteria on profile_assets.profile_key = criteria.profile_key
    where profile_assets.items_without_energy > 0
),

unioned as (
    select * from embodied_gaps
    union all
    select * from use_gaps
),

final as (
    select
        device_category,
        stage,
        criterion,
        gap_reason,
        cast(sum(items) as {{ dbt.type_bigint() }}) as items
    from unioned
    group by device_category, stage, criterion, gap_reason
)

select * from final
