with

source as (
    {{ latest_versions(source('servicenow', 'alm_stockroom')) }}
),

renamed as (
    select
        sys_id as stockroom_id,
        name as stockroom_name,
        {{ sn_reference('location') }} as location_id
    from source
)

select * from renamed
