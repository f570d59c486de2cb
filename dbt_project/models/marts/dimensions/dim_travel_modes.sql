-- Each vehicle type and travel mode, by distance band, with the vehicle factor it is computed
-- with (the `travel_modes` seed).
with

modes as (
    select * from {{ ref('travel_modes') }}
),

final as (
    select
        travel_mode,
        distance_from_km,
        distance_to_km,
        factor_key,
        factor_basis,
        is_electric,
        is_proxy,
        note
    from modes
)

select * from final
