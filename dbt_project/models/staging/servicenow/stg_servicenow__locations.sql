with

source as (
    {{ latest_versions(source('servicenow', 'cmn_location')) }}
),

renamed as (
    select
        sys_id as location_id,
        name as location_name,
        {{ sn_string('city') }} as city,
        {{ sn_string('country') }} as country,
        {{ sn_decimal('latitude') }} as latitude,
        {{ sn_decimal('longitude') }} as longitude,
        {{ sn_reference('parent') }} as parent_location_id,
        {{ sn_reference('company') }} as company_id
    from source
)

select * from renamed
