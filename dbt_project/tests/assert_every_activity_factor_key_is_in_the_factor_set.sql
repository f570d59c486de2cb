-- Every travel mode and every counted contract kind is computed with a factor of the run's
-- factor set: a key without one would leave its trips or contracts out.
with

vehicle_keys as (
    select distinct factor_key from {{ ref('stg_factors__emission_factors') }}
    where scope = 'vehicle' and value is not null
),

money_keys as (
    select distinct factor_key from {{ ref('stg_factors__emission_factors') }}
    where scope = 'money' and value is not null
),

missing as (
    select
        'travel_modes' as seed,
        modes.travel_mode as entry,
        modes.factor_key
    from {{ ref('travel_modes') }} as modes
    left join vehicle_keys on modes.factor_key = vehicle_keys.factor_key
    where vehicle_keys.factor_key is null
    union all
    select
        'contract_kinds' as seed,
        kinds.contract_model_name as entry,
        kinds.money_factor_key as factor_key
    from {{ ref('contract_kinds') }} as kinds
    left join money_keys on kinds.money_factor_key = money_keys.factor_key
    where kinds.is_counted and money_keys.factor_key is null
)

select * from missing
