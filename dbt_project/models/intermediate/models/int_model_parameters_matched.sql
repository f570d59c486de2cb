-- The lifetime and yearly electricity of a new unit of each product model bought on the as-of
-- date, chosen as for an asset (int_lifetimes_matched, int_annual_energy_matched): the
-- model's own figure, else its category's (macros/factor_choice.sql); a lifetime is never
-- null (`default_lifetime_years`), an annual energy may be (no figure: no use phase counted).
with

models as (
    select * from {{ ref('int_models_categorised') }}
),

parameters as (
    select * from {{ ref('stg_factors__parameters') }}
    where parameter in ('lifetime_years', 'annual_energy_kwh') and value is not null
),

uncertainties as (
    select * from {{ ref('int_relative_uncertainties_chosen') }}
),

ranked as (
    select
        models.model_id,
        parameters.parameter,
        parameters.parameter_id,
        parameters.scope as match_level,
        parameters.quality,
        parameters.value,
        parameters.value_min,
        parameters.value_max,
        {{ factor_rank(
            ['models.model_id', 'parameters.parameter'],
            valid_from='parameters.valid_from',
            valid_to='parameters.valid_to',
            starts_on=as_of_date(),
            ends_on=add_days(as_of_date(), 1),
            specificity="case parameters.scope when 'model' then 0 else 1 end",
            precedence='parameters.precedence',
            row_id='parameters.parameter_id'
        ) }} as candidate_rank
    from models
    inner join parameters
        on
            (
                parameters.scope = 'model'
                and parameters.parameter_key
                = case parameters.parameter
                    when 'lifetime_years' then models.lifetime_key else models.model_key
                end
            )
            or (parameters.scope = 'category' and models.device_category = parameters.parameter_key)
),

energy as (
    select
        ranked.model_id,
        ranked.parameter_id as energy_parameter_id,
        {{ ranged_columns('ranked', 'uncertainties', 'annual_energy_kwh') }}
    from ranked
    left join uncertainties
        on ranked.match_level || '|' || coalesce(ranked.quality, '') = uncertainties.uncertainty_key
    where ranked.parameter = 'annual_energy_kwh' and ranked.candidate_rank = 1
),

lifetimes as (
    select
        model_id,
        parameter_id as lifetime_parameter_id,
        value as lifetime_years
    from ranked
    where parameter = 'lifetime_years' and candidate_rank = 1
),

final as (
    select
        models.model_id,
        models.device_category,
        coalesce(lifetimes.lifetime_years, {{ var('default_lifetime_years') }}) as lifetime_years,
        lifetimes.lifetime_parameter_id,
        energy.energy_parameter_id,
        energy.annual_energy_kwh,
        energy.annual_energy_kwh_min,
        energy.annual_energy_kwh_max
    from models
    left join lifetimes on models.model_id = lifetimes.model_id
    left join energy on models.model_id = energy.model_id
)

select * from final
