-- The embodied factor of a new unit of each product model bought on the as-of date, per stage
-- and criterion, chosen as for an asset (macros/factor_choice.sql, `embodied_factors_chosen`):
-- valid that day first, then the most specific (model > manufacturer and category > category),
-- then precedence; with its range (the source's, else the documented relative range of its
-- match level and quality).
with

models as (
    select * from {{ ref('int_models_categorised') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
),

uncertainties as (
    select * from {{ ref('int_relative_uncertainties_chosen') }}
),

candidates as (
    select
        model_id,
        'model' as match_level,
        2 as match_rank,
        model_factor_key as factor_key
    from models
    where model_factor_key is not null
    union all
    select
        model_id,
        'manufacturer_category' as match_level,
        3 as match_rank,
        manufacturer_category_key as factor_key
    from models
    where manufacturer_category_key is not null
    union all
    select
        model_id,
        'category' as match_level,
        4 as match_rank,
        device_category as factor_key
    from models
),

new_unit_candidates as (
    select
        candidates.*,
        {{ as_of_date() }} as chosen_on
    from candidates
),

chosen as (
    {{ embodied_factors_chosen('new_unit_candidates', 'model_id') }}
),

final as (
    select
        model_id,
        stage,
        criterion,
        match_level,
        factor_id,
        factor_set,
        factor_fallback,
        flag,
        value,
        value_min,
        value_max,
        unit
    from chosen
)

select * from final
