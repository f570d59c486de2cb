-- What is missing from each asset's footprint, per life-cycle stage and criterion: a stage
-- with no figure for a criterion the asset's factors do give elsewhere. `gap_reason`:
--   not_covered       a source states that it does not cover this stage and criterion (a
--                     factor row flagged 'not_covered', e.g. servers' end of life);
--   no_factor         no factor row at all for this stage and criterion;
--   no_annual_energy  in use, but no annual energy figure for its model or category.
-- Read by fct_footprint_gaps and the coverage report.
with

candidates as (
    select * from {{ ref('int_embodied_factor_candidates_listed') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where stage in ('manufacturing', 'distribution', 'end_of_life')
),

matched as (
    select * from {{ ref('int_embodied_factors_matched') }}
),

use_shares as (
    select distinct asset_id from {{ ref('int_use_phase_shares_allocated') }}
),

energy as (
    select distinct asset_id from {{ ref('int_annual_energy_matched') }}
),

stages as (
    {{ embodied_stages() }}
),

-- Per asset, stage and criterion: whether some source states it as not covered.
stated as (
    select
        candidates.asset_id,
        factors.stage,
        factors.criterion,
        max(case when factors.flag = 'not_covered' then 1 else 0 end) = 1 as is_not_covered
    from candidates
    inner join factors
        on
            candidates.match_level = factors.scope
            and candidates.factor_key = factors.factor_key
    group by candidates.asset_id, factors.stage, factors.criterion
),

criteria as (
    select distinct
        asset_id,
        criterion
    from stated
),

embodied_gaps as (
    select
        criteria.asset_id,
        stages.stage,
        criteria.criterion,
        case when stated.is_not_covered then 'not_covered' else 'no_factor' end as gap_reason
    from criteria
    cross join stages
    left join matched
        on
            criteria.asset_id = matched.asset_id
            and stages.stage = matched.stage
            and criteria.criterion = matched.criterion
    left join stated
        on
            criteria.asset_id = stated.asset_id
            and stages.stage = stated.stage
            and criteria.criterion = stated.criterion
    where matched.asset_id is null
),

use_gaps as (
    select
        criteria.asset_id,
        'use' as stage,
        criteria.criterion,
        'no_annual_energy' as gap_reason
    from criteria
    inner join use_shares on criteria.asset_id = use_shares.asset_id
    left join energy on criteria.asset_id = energy.asset_id
    where energy.asset_id is null
),

final as (
    select * from embodied_gaps
    union all
    select * from use_gaps
)

select * from final
