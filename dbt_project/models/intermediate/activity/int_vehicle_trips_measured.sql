-- Each logged vehicle trip with its distance and what it was for (DESIGN.md, "Transport"): the
-- logged kilometres when present, else the great-circle distance between the two sites'
-- coordinates × the road detour factor. A trip that carried a known transfer order is counted
-- through the order's lines; an intervention under a known contract, through the contract.
with

trips as (
    select * from {{ ref('stg_logs__vehicle_trips') }}
),

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

-- Orders that moved (a draft or cancelled order a trip names does not take the trip over).
orders as (
    select * from {{ ref('stg_servicenow__transfer_orders') }}
    where stage in ('shipped', 'delivered')
),

contracts as (
    select * from {{ ref('stg_servicenow__contracts') }}
),

measured as (
    select
        trips.*,
        {{ great_circle_km(
            'origins.latitude', 'origins.longitude',
            'destinations.latitude', 'destinations.longitude'
        ) }} as great_circle_km,
        orders.transfer_order_id,
        case when trips.purpose = 'intervention' then contracts.contract_id end as contract_id
    from trips
    left join locations as origins on trips.from_location_id = origins.location_id
    left join locations as destinations on trips.to_location_id = destinations.location_id
    left join orders on trips.transfer_order_number = orders.transfer_order_number
    left join contracts on trips.contract_number = contracts.contract_number
),

final as (
    select
        trip_id,
        trip_on,
        vehicle_type,
        purpose,
        operator,
        from_location_id,
        to_location_id,
        transfer_order_id,
        contract_id,
        asset_count,
        great_circle_km,
        coalesce(logged_km, {{ road_km('great_circle_km') }}) as distance_km,
        case when logged_km is not null then 'logged_km' else 'great_circle_km' end
            as calculation_method,
        case
            when transfer_order_id is not null then 'transfer_order'
            when contract_id is not null then 'contract_intervention'
            when purpose = 'intervention' then 'it_work'
            else 'transport'
        end as counted_as
    from measured
)

select * from final
