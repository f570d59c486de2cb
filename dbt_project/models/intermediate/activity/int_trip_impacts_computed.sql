-- Trips for IT work (DESIGN.md, "Agent trips"): km × the factor of the mode for that distance;
-- a per-vehicle factor is shared between the passengers. Agents' business travel is scope 3
-- category 6. Technicians' vehicle trips to an intervention no known contract names are the
-- organisation's own (scope 1, 2 when electric) or bought (scope 3 category 1).
with

agent_trips as (
    select * from {{ ref('stg_logs__agent_trips') }}
),

vehicle_trips as (
    select * from {{ ref('int_vehicle_trips_measured') }}
    where counted_as = 'it_work' and distance_km is not null
),

cost_centers as (
    select * from {{ ref('stg_servicenow__cost_centers') }}
),

modes as (
    select * from {{ ref('travel_modes') }}
),

factors as (
    select * from {{ ref('int_activity_factors_matched') }}
    where scope = 'vehicle'
),

trips as (
    select
        'agent_trip/' || agent_trips.trip_id as item_id,
        agent_trips.trip_on,
        agent_trips.travel_mode,
        'traveller' as operator,
        agent_trips.distance_km,
        agent_trips.passengers,
        'logged_km' as calculation_method,
        cost_centers.cost_center_id,
        cost_centers.location_id
    from agent_trips
    left join cost_centers on agent_trips.cost_center_code = cost_centers.cost_center_code
    union all
    select
        'vehicle_trip/' || trip_id as item_id,
        trip_on,
        vehicle_type as travel_mode,
        operator,
        distance_km,
        1 as passengers,
        calculation_method,
        cast(null as {{ dbt.type_string() }}) as cost_center_id,
        coalesce(to_location_id, from_location_id) as location_id
    from vehicle_trips
),

final as (
    select
        factors.reporting_year,
        'trip' as source_kind,
        trips.item_id,
        -- A vehicle's emissions are shared between its passengers; a passenger-km factor is
        -- already one traveller's.
        {{ activity_impact(
            "trips.distance_km / case when modes.factor_basis = 'vehicle'"
            ~ " then trips.passengers else 1 end"
        ) }},
        trips.calculation_method,
        {{ vehicle_ghg_scope('trips.operator', 'factors.stage', 'modes.is_electric') }}
            as ghg_scope,
        case
            when trips.operator = 'traveller' then 6
            else {{ vehicle_ghg_category('trips.operator', 'factors.stage', 1) }}
        end as ghg_category,
        trips.travel_mode,
        cast(null as {{ dbt.type_string() }}) as asset_id,
        cast(null as {{ dbt.type_string() }}) as contract_id,
        trips.location_id,
        trips.cost_center_id,
        cast(null as {{ dbt.type_string() }}) as device_category
    from trips
    inner join modes on {{ travel_mode_band('modes', 'trips.travel_mode', 'trips.distance_km') }}
    inner join factors
        on
            modes.factor_key = factors.factor_key
            and {{ year_of('trips.trip_on') }} = factors.reporting_year
)

select * from final
