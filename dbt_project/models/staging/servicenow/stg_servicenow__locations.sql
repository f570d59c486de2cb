with

source as (
    {{ latest_versions(source('servicenow', 'cmn_location')) }}
),

renamed as (
    select
        sys_id as location_id,
        name as location_name,
        nullif(city, '') as city,
        nullif(country, '') as country,
        {{ sn_number('latitude') }} as latitude,
        {{ sn_number('longitude') }} as longitude,
        {{ sn_reference('parent') }} as parent_location_id,
        {{ sn_reference('company') }} as company_id
    from source
)

select * from renamed
