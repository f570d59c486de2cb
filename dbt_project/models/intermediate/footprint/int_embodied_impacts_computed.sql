{{ config(materialized='view') }}
-- Embodied impact booked to each reporting year: the matched factor × the year's share (the
-- scenario levers applied: int_embodied_shares_weighted).
with

shares as (
    select * from {{ ref('int_embodied_shares_weighted') }}
),

factors as (
    select * from {{ ref('int_embodied_factors_matched') }}
),

final as (
    select
        shares.asset_id,
        shares.reporting_year,
        shares.method,
        shares.stage,
        factors.criterion,
        factors.value * shares.share as value,
        factors.value_min * shares.share as value_min,
        factors.value_max * shares.share as value_max,
        factors.unit,
        factors.factor_id,
        factors.factor_set,
        factors.match_level,
        factors.factor_fallback,
        factors.flag as factor_flag,
        -- The use phase's lineage columns, so both kinds of impact read alike.
        cast(null as {{ dbt.type_string() }}) as energy_parameter_id,
        cast(null as {{ dbt.type_string() }}) as energy_match_level,
        cast(null as {{ dbt.type_string() }}) as pue_parameter_id
    from shares
    inner join factors
        on
            shares.asset_id = factors.asset_id
            and shares.stage = factors.stage
)

select * from final
