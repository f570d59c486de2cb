-- The trips that carried each shipped transfer order: the logged vehicle trips naming it, else
-- one estimated leg between the two stockrooms' sites, by the configured vehicle and operator,
-- its distance from their coordinates × the road detour factor, on its ship (else delivery)
-- date. Draft and cancelled orders moved nothing.
with

orders as (
    select * from {{ ref('stg_servicenow__transfer_orders') }}
    where stage in ('shipped', 'delivered')
),

stockrooms as (
    select * from {{ ref('stg_servicenow__stockrooms') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

trips as (
    select * from {{ ref('int_vehicle_trips_measured') }}
    where counted_as = 'transfer_order'
),

routed as (
    select
        orders.transfer_order_id,
        orders.transfer_order_number,
        coalesce(orders.shipped_on, orders.delivered_on) as shipped_on,
        origins.location_id as from_location_id,
        destinations.location_id as to_location_id,
        {{ great_circle_km(
            'origins.latitude', 'origins.longitude',
            'destinations.latitude', 'destinations.longitude'
        ) }} as great_circle_km
    from orders
    left join stockrooms as from_rooms on orders.from_stockroom_id = from_rooms.stockroom_id
    left join stockrooms as to_rooms on orders.to_stockroom_id = to_rooms.stockroom_id
    left join locations as origins on from_rooms.location_id = origins.location_id
    left join locations as destinations on to_rooms.location_id = destinations.location_id
),

logged_legs as (
    select
        routed.transfer_order_id,
        trips.trip_id as leg_id,
        trips.trip_on as carried_on,
        trips.vehicle_type,
        trips.operator,
        coalesce(trips.from_location_id, routed.from_location_id) as from_location_id,
        coalesce(trips.to_location_id, routed.to_location_id) as to_location_id,
        coalesce(trips.distance_km, {{ road_km('routed.great_circle_km') }})
            as distance_km,
        case
            when trips.distance_km is null then 'great_circle_km' else trips.calculation_method
        end as calculation_method
    from routed
    inner join trips on routed.transfer_order_id = trips.transfer_order_id
),

estimated_legs as (
    select
        transfer_order_id,
        transfer_order_number as leg_id,
        shipped_on as carried_on,
        '{{ var("transfer_vehicle_type") }}' as vehicle_type,
        '{{ var("transfer_operator") }}' as operator,
        from_location_id,
        to_location_id,
        {{ road_km('great_circle_km') }} as distance_km,
        'great_circle_km' as calculation_method
    from routed
    where
        shipped_on is not null
        and transfer_order_id not in (select logged_legs.transfer_order_id from logged_legs)
),

final as (
    select * from logged_legs
    union all
    select * from estimated_legs
)

select * from final
