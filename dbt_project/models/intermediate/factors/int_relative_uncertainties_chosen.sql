-- The relative half-width applied to a factor whose source gives no range (DESIGN.md: every
-- value carries value_min and value_max): one per match level and source quality, from the
-- factor set's `relative_uncertainty` parameters (key '<match_level>|<quality>', 0.3 means
-- 0.7× to 1.3×); the lowest precedence wins.
with

parameters as (
    select * from {{ ref('stg_factors__parameters') }}
    where parameter = 'relative_uncertainty' and scope = 'match_level' and value is not null
),

ranked as (
    select
        parameter_key as uncertainty_key,
        parameter_id,
        value as half_width,
        row_number() over (
            partition by parameter_key order by precedence asc, valid_from desc, parameter_id asc
        ) as candidate_rank
    from parameters
),

final as (
    select
        uncertainty_key,
        parameter_id,
        half_width
    from ranked
    where candidate_rank = 1
)

select * from final
