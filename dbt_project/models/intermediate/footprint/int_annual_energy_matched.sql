-- Each asset's yearly electricity for each year it was in use (DESIGN.md, "Use"): the model's
-- figure, else its device category's; a figure valid in the year first (macros/
-- factor_choice.sql). A figure without a range of its own gets the documented relative range
-- of its match level and quality.
with

shares as (
    select * from {{ ref('int_use_phase_shares_allocated') }}
),

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

parameters as (
    select * from {{ ref('stg_factors__parameters') }}
    where parameter = 'annual_energy_kwh' and value is not null
),

uncertainties as (
    select * from {{ ref('int_relative_uncertainties_chosen') }}
),

-- Asset-years of one model, category and year get the same figure: it is chosen once per such
-- profile (a fleet has far fewer than it has asset-years), then given back to each asset-year.
-- A year's first and next days follow from the year (int_reporting_years): they ride along.
asset_years as (
    select
        shares.asset_id,
        shares.reporting_year,
        shares.year_starts_on,
        shares.next_year_starts_on,
        assets.model_key,
        assets.device_category
    from shares
    inner join assets on shares.asset_id = assets.asset_id
),

profiles as (
    select distinct
        model_key,
        device_category,
        reporting_year,
        year_starts_on,
        next_year_starts_on
    from asset_years
),

ranked as (
    select
        profiles.model_key,
        profiles.device_category,
        profiles.reporting_year,
        profiles.year_starts_on,
        profiles.next_year_starts_on,
        parameters.parameter_id,
        parameters.scope as energy_match_level,
        parameters.quality,
        parameters.flag,
        parameters.value,
        parameters.value_min,
        parameters.value_max,
        {{ factor_fallback('parameters.valid_from', 'parameters.valid_to',
            'profiles.year_starts_on', 'profiles.next_year_starts_on') }} as energy_fallback,
        {{ factor_rank(
            ['profiles.model_key', 'profiles.device_category', 'profiles.reporting_year'],
            valid_from='parameters.valid_from',
            valid_to='parameters.valid_to',
            starts_on='profiles.year_starts_on',
            ends_on='profiles.next_year_starts_on',
            specificity="case parameters.scope when 'model' then 0 else 1 end",
            precedence='parameters.precedence',
            row_id='parameters.parameter_id'
        ) }} as candidate_rank
    from profiles
    inner join parameters
        on
            (parameters.scope = 'model' and profiles.model_key = parameters.parameter_key)
            or (
                parameters.scope = 'category'
                and profiles.device_category = parameters.parameter_key
            )
),

chosen as (
    select
        ranked.model_key,
        ranked.device_category,
        ranked.reporting_year,
        ranked.parameter_id as energy_parameter_id,
        ranked.energy_match_level,
        ranked.energy_fallback,
        ranked.flag as energy_flag,
        {{ ranged_columns('ranked', 'uncertainties', 'annual_energy_kwh') }}
    from ranked
    left join uncertainties
        on
            ranked.energy_match_level || '|' || coalesce(ranked.quality, '')
            = uncertainties.uncertainty_key
    where ranked.candidate_rank = 1
),

final as (
    select
        asset_years.asset_id,
        asset_years.reporting_year,
        chosen.energy_parameter_id,
        chosen.energy_match_level,
        chosen.energy_fallback,
        chosen.energy_flag,
        chosen.annual_energy_kwh,
        chosen.annual_energy_kwh_min,
        chosen.annual_energy_kwh_max
    from asset_years
    inner join chosen
        on
            asset_years.model_key is not distinct from chosen.model_key
            and asset_years.device_category is not distinct from chosen.device_category
            and asset_years.reporting_year = chosen.reporting_year
)

select * from final
