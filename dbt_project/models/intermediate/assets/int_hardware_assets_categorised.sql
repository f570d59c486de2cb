-- Each asset's device category, factor key, match level and lifetime, from the factor library's
-- model matches (factors/README.md).
with

assets as (
    select * from {{ ref('stg_servicenow__hardware_assets') }}
),

model_matches as (
    select * from {{ ref('stg_factors__model_matches') }}
),

lifetimes as (
    select * from {{ ref('stg_factors__parameters') }}
    where parameter = 'lifetime_years'
),

-- A model's own lifetime wins over its category's; then the shipped precedence.
lifetime_candidates as (
    select
        assets.asset_id,
        lifetimes.value as lifetime_years,
        lifetimes.parameter_id as lifetime_parameter_id,
        row_number() over (
            partition by assets.asset_id
            order by
                case when lifetimes.scope = 'model' then 0 else 1 end,
                lifetimes.precedence asc,
                lifetimes.valid_from desc
        ) as candidate_rank
    from assets
    inner join model_matches on assets.model_id = model_matches.model_id
    inner join lifetimes
        on
            (lifetimes.scope = 'model' and model_matches.lifetime_key = lifetimes.parameter_key)
            or (
                lifetimes.scope = 'category'
                and model_matches.device_category = lifetimes.parameter_key
            )
),

final as (
    select
        assets.asset_id,
        model_matches.model_key,
        model_matches.device_category,
        model_matches.factor_key as model_factor_key,
        coalesce(model_matches.match_level, 'unmapped') as model_match_level,
        lifetime_candidates.lifetime_years,
        lifetime_candidates.lifetime_parameter_id,
        -- Whole months, at least one, so the amortisation window is never empty.
        greatest(cast(round(lifetime_candidates.lifetime_years * 12) as integer), 1)
            as lifetime_months
    from assets
    left join model_matches on assets.model_id = model_matches.model_id
    left join lifetime_candidates
        on
            assets.asset_id = lifetime_candidates.asset_id
            and lifetime_candidates.candidate_rank = 1
)

select * from final
