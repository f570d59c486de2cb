-- Each asset's lifetime (DESIGN.md, "Lifetime"): the model's own figure, else its device
-- category's, else the configured default (`default_lifetime_years`), so every asset that gets
-- a factor is amortised over a window and both accounting methods sum to the same total over
-- its life. Figures valid on the acquisition date first (macros/factor_choice.sql).
with

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

lifetimes as (
    select * from {{ ref('stg_factors__parameters') }}
    where parameter = 'lifetime_years' and value is not null
),

candidates as (
    select
        assets.asset_id,
        lifetimes.parameter_id,
        lifetimes.value as lifetime_years,
        lifetimes.scope as lifetime_source,
        {{ factor_fallback('lifetimes.valid_from', 'lifetimes.valid_to', 'dates.acquired_on',
            add_days('dates.acquired_on', 1)) }} as lifetime_fallback,
        {{ factor_rank(
            ['assets.asset_id'],
            valid_from='lifetimes.valid_from',
            valid_to='lifetimes.valid_to',
            starts_on='dates.acquired_on',
            ends_on=add_days('dates.acquired_on', 1),
            specificity="case lifetimes.scope when 'model' then 0 else 1 end",
            precedence='lifetimes.precedence',
            row_id='lifetimes.parameter_id'
        ) }} as candidate_rank
    from assets
    inner join dates on assets.asset_id = dates.asset_id
    inner join lifetimes
        on
            (lifetimes.scope = 'model' and assets.lifetime_key = lifetimes.parameter_key)
            or (lifetimes.scope = 'category' and assets.device_category = lifetimes.parameter_key)
),

chosen as (
    select
        assets.asset_id,
        coalesce(candidates.lifetime_years, {{ var('default_lifetime_years') }}) as lifetime_years,
        candidates.parameter_id as lifetime_parameter_id,
        coalesce(candidates.lifetime_source, 'default') as lifetime_source,
        candidates.lifetime_fallback
    from assets
    left join candidates
        on assets.asset_id = candidates.asset_id and candidates.candidate_rank = 1
),

final as (
    select
        asset_id,
        lifetime_years,
        -- Whole months, at least one, so the amortisation window is never empty.
        greatest(cast(round(lifetime_years * 12) as integer), 1) as lifetime_months,
        lifetime_parameter_id,
        lifetime_source,
        lifetime_fallback
    from chosen
)

select * from final
