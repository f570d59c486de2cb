-- Each asset's lifetime (DESIGN.md, "Lifetime"): the model's own figure, else its device
-- category's, else the configured default (`default_lifetime_years`), so every asset that gets
-- a factor is amortised over a window and both accounting methods sum to the same total over
-- its life. Figures valid on the acquisition date first (macros/factor_choice.sql). A scenario
-- may extend the lifetime of a category (lever `lifetime_extensions`, macros/scenario_levers.sql).
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

extensions as (
    {{ scenario_lever_rows('lifetime_extensions') }}
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

-- Scenario lever: an asset still amortised on the lever's start day (its window not ended,
-- not disposed before) is kept longer. No row in the nightly build.
extended as (
    select
        chosen.asset_id,
        sum(extensions.years) as lifetime_extension_years
    from chosen
    inner join assets on chosen.asset_id = assets.asset_id
    inner join dates on chosen.asset_id = dates.asset_id
    inner join extensions
        on
            assets.device_category = extensions.device_category
            and (
                extensions.starts_on is null
                or (
                    {{ add_months('dates.acquired_on', lifetime_months('chosen.lifetime_years')) }}
                    > extensions.starts_on
                    and coalesce(dates.disposed_on > extensions.starts_on, true)
                )
            )
    group by chosen.asset_id
),

final as (
    select
        chosen.asset_id,
        chosen.lifetime_years + coalesce(extended.lifetime_extension_years, 0) as lifetime_years,
        {{ lifetime_months(
            'chosen.lifetime_years + coalesce(extended.lifetime_extension_years, 0)'
        ) }} as lifetime_months,
        chosen.lifetime_parameter_id,
        chosen.lifetime_source,
        chosen.lifetime_fallback,
        coalesce(extended.lifetime_extension_years, 0) as lifetime_extension_years
    from chosen
    left join extended on chosen.asset_id = extended.asset_id
)

select * from final
