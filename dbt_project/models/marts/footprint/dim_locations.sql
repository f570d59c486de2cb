-- Sites (`cmn_location`) with their coordinates and country, and whether they are a data
-- centre (equipment there is multiplied by the PUE, see int_hardware_assets_located).
with

locations as (
    select * from {{ ref('stg_servicenow__locations') }}
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
        data_centres.data_centre_id is not null as is_data_centre
    from locations
    left join data_centres on locations.location_id = data_centres.data_centre_id
)

select * from final
