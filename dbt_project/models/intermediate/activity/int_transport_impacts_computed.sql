-- Equipment transport (DESIGN.md, "Transport"): distance × the vehicle's factor, per stage.
-- A transfer order's trips are shared between its lines (int_transfer_order_lines_shared), so
-- each asset carries its part; other transport trips (collection rounds, deliveries without an
-- order) are rows of their own. Own vehicles are scope 1 (2 when electric) for their fuel,
-- carriers' scope 3 category 4.
with

legs as (
    select * from {{ ref('int_transfer_order_legs_listed') }}
),

lines as (
    select * from {{ ref('int_transfer_order_lines_shared') }}
),

trips as (
    select * from {{ ref('int_vehicle_trips_measured') }}
    where counted_as = 'transport'
),

modes as (
    select * from {{ ref('travel_modes') }}
),

factors as (
    select * from {{ ref('int_activity_factors_matched') }}
    where scope = 'vehicle'
),

carried as (
    select
        lines.transfer_order_line_id || ':' || legs.leg_id as item_id,
        legs.carried_on,
        legs.vehicle_type,
        legs.operator,
        legs.distance_km as trip_km,
        legs.distance_km * lines.share as distance_km,
        legs.calculation_method,
        lines.asset_id,
        legs.to_location_id as location_id
    from legs
    inner join lines on legs.transfer_order_id = lines.transfer_order_id
),

driven as (
    select
        'vehicle_trip/' || trip_id as item_id,
        trip_on as carried_on,
        vehicle_type,
        operator,
        distance_km as trip_km,
        distance_km,
        calculation_method,
        cast(null as {{ dbt.type_string() }}) as asset_id,
        coalesce(to_location_id, from_location_id) as location_id
    from trips
    where distance_km is not null
),

moves as (
    select * from carried
    union all
    select * from driven
),

final as (
    select
        factors.reporting_year,
        'transport' as source_kind,
        moves.item_id,
        {{ activity_impact('moves.distance_km') }},
        moves.calculation_method,
        {{ vehicle_ghg_scope('moves.operator', 'factors.stage', 'modes.is_electric') }}
            as ghg_scope,
        {{ vehicle_ghg_category('moves.operator', 'factors.stage', 4) }} as ghg_category,
        moves.vehicle_type as travel_mode,
        moves.asset_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        moves.location_id,
        cast(null as {{ dbt.type_string() }}) as cost_center_id,
        cast(null as {{ dbt.type_string() }}) as device_category
    from moves
    inner join modes on {{ travel_mode_band('modes', 'moves.vehicle_type', 'moves.trip_km') }}
    inner join factors
        on
            modes.factor_key = factors.factor_key
            and {{ year_of('moves.carried_on') }} = factors.reporting_year
)

select * from final
