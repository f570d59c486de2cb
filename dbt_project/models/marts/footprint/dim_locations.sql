-- Sites (`cmn_location`) with their coordinates and country (the distances of equipment
-- transport are computed from them), whether they are a data centre (equipment there is
-- multiplied by the PUE, see int_hardware_assets_located), hold a stockroom, or take devices in
-- as a collection point.
with

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
),

stockrooms as (
    select * from {{ ref('stg_servicenow__stockrooms') }}
),

collection_events as (
    select * from {{ ref('int_collection_events_matched') }}
),

data_centres as (
    select distinct data_centre_id from {{ ref('int_hardware_assets_located') }}
    where is_in_data_centre
),

final as (
    select
        locations.location_id,
        locations.location_name,
        locations.city,
        locations.country,
        locations.latitude,
        locations.longitude,
        locations.parent_location_id,
        locations.company_id as town_id,
        data_centres.data_centre_id is not null as is_data_centre,
        locations.location_id in (select stockrooms.location_id from stockrooms)
            as has_stockroom,
        locations.location_id in (
            select collection_events.collection_point_id from collection_events
        ) as is_collection_point
    from locations
    left join data_centres on locations.location_id = data_centres.data_centre_id
)

select * from final
