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

ranked as (
    select
        shares.asset_id,
        shares.reporting_year,
        parameters.parameter_id,
        parameters.scope as energy_match_level,
        parameters.quality,
        parameters.flag,
        parameters.value,
        parameters.value_min,
        parameters.value_max,
        {{ factor_fallback('parameters.valid_from', 'parameters.valid_to',
            'shares.year_starts_on', 'shares.next_year_starts_on') }} as energy_fallback,
        {{ factor_rank(
            ['shares.asset_id', 'shares.reporting_year'],
            valid_from='parameters.valid_from',
            valid_to='parameters.valid_to',
            starts_on='shares.year_starts_on',
            ends_on='shares.next_year_starts_on',
            specificity="case parameters.scope when 'model' then 0 else 1 end",
            precedence='parameters.precedence',
            row_id='parameters.parameter_id'
        ) }} as candidate_rank
    from shares
    inner join assets on shares.asset_id = assets.asset_id
    inner join parameters
        on
            (parameters.scope = 'model' and assets.model_key = parameters.parameter_key)
            or (parameters.scope = 'category' and assets.device_category = parameters.parameter_key)
),

final as (
    select
        ranked.asset_id,
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
)

select * from final
