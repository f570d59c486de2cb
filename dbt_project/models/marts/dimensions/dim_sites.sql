-- Every site with its coordinates (the distances of equipment transport are computed from
-- them), its town, and whether it holds a stockroom or takes devices in as a collection point.
with

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

stockrooms as (
    select * from {{ ref('stg_servicenow__stockrooms') }}
),

collection_events as (
    select * from {{ ref('int_collection_events_matched') }}
),

final as (
    select
        locations.location_id,
        locations.location_name,
        locations.city,
        locations.country,
        locations.latitude,
        locations.longitude,
        locations.company_id as town_id,
        towns.company_name as town_name,
        locations.location_id in (select stockrooms.location_id from stockrooms)
            as has_stockroom,
        locations.location_id in (
            select collection_events.collection_point_id from collection_events
        ) as is_collection_point
    from locations
    left join companies as towns on locations.company_id = towns.company_id
)

select * from final
