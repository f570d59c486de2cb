-- The embodied factor of a new unit of each product model bought on the as-of date, per stage
-- and criterion, chosen as for an asset (macros/factor_choice.sql): valid that day first, then
-- the most specific (model > manufacturer and category > category), then precedence; with its
-- range (the source's, else the documented relative range of its match level and quality).
with

models as (
    select * from {{ ref('int_models_categorised') }}
),

factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where stage in ('manufacturing', 'distribution', 'end_of_life') and value is not null
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

ranked as (
    select
        candidates.model_id,
        candidates.match_level,
        factors.stage,
        factors.criterion,
        factors.factor_id,
        factors.factor_set,
        factors.quality,
        factors.flag,
        factors.value,
        factors.value_min,
        factors.value_max,
        {{ dbt.split_part('factors.unit', "'/'", 1) }} as unit,
        {{ factor_fallback('factors.valid_from', 'factors.valid_to', as_of_date(),
            add_days(as_of_date(), 1)) }} as factor_fallback,
        {{ factor_rank(
            ['candidates.model_id', 'factors.stage', 'factors.criterion'],
            valid_from='factors.valid_from',
            valid_to='factors.valid_to',
            starts_on=as_of_date(),
            ends_on=add_days(as_of_date(), 1),
            specificity='candidates.match_rank',
            precedence='factors.precedence',
            row_id='factors.factor_id'
        ) }} as candidate_rank
    from candidates
    inner join factors
        on
            candidates.match_level = factors.scope
            and candidates.factor_key = factors.factor_key
),

final as (
    select
        ranked.model_id,
        ranked.stage,
        ranked.criterion,
        ranked.match_level,
        ranked.factor_id,
        ranked.factor_set,
        ranked.factor_fallback,
        ranked.flag,
        {{ ranged_columns('ranked', 'uncertainties') }},
        ranked.unit
    from ranked
    left join uncertainties
        on ranked.match_level || '|' || coalesce(ranked.quality, '') = uncertainties.uncertainty_key
    where ranked.candidate_rank = 1
)

select * from final
