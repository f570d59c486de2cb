-- The factor behind each asset's embodied impact, per stage and criterion: a row valid on the
-- acquisition date first, then the most specific level that has a figure (configuration >
-- model > manufacturer and category > category), then the factor set's precedence.
with

assets as (
    select * from {{ ref('int_hardware_assets_categorised') }}
),

dates as (
    select * from {{ ref('int_hardware_assets_dated') }}
),

configuration_matches as (
    select * from {{ ref('stg_factors__configuration_matches') }}
),

-- A row flagged not_covered (no value) states a gap in its source: it never gives a figure.
factors as (
    select * from {{ ref('stg_factors__emission_factors') }}
    where stage in ('manufacturing', 'distribution', 'end_of_life') and value is not null
),

candidates as (
    select
        asset_id,
        'configuration' as match_level,
        1 as match_rank,
        'configuration' as scope,
        configuration_key as factor_key
    from configuration_matches
    union all
    select
        asset_id,
        model_match_level as match_level,
        case model_match_level when 'model' then 2 else 3 end as match_rank,
        model_match_level as scope,
        model_factor_key as factor_key
    from assets
    where model_match_level in ('model', 'manufacturer_category')
    union all
    select
        asset_id,
        'category' as match_level,
        4 as match_rank,
        'category' as scope,
        device_category as factor_key
    from assets
    where device_category is not null
),

ranked as (
    select
        candidates.asset_id,
        candidates.match_level,
        factors.stage,
        factors.criterion,
        factors.factor_id,
        factors.factor_set,
        factors.value,
        factors.value_min,
        factors.value_max,
        {{ dbt.split_part('factors.unit', "'/'", 1) }} as unit,
        row_number() over (
            partition by candidates.asset_id, factors.stage, factors.criterion
            order by
                case
                    when
                        factors.valid_from <= dates.acquired_on
                        and (factors.valid_to is null or factors.valid_to >= dates.acquired_on)
                        then 0
                    else 1
                end asc,
                candidates.match_rank asc,
                factors.precedence asc,
                factors.valid_from desc
        ) as candidate_rank
    from candidates
    inner join dates on candidates.asset_id = dates.asset_id
    inner join factors
        on
            candidates.scope = factors.scope
            and candidates.factor_key = factors.factor_key
),

final as (
    select
        asset_id,
        stage,
        criterion,
        match_level,
        factor_id,
        factor_set,
        value,
        value_min,
        value_max,
        unit
    from ranked
    where candidate_rank = 1
)

select * from final
