with

source as (
    {{ latest_versions(source('servicenow', 'cmn_cost_center')) }}
),

renamed as (
    select
        sys_id as cost_center_id,
        name as cost_center_name,
        {{ sn_string('code') }} as cost_center_code,
        {{ sn_reference('parent') }} as parent_cost_center_id,
        {{ sn_date('valid_from') }} as valid_from,
        {{ sn_date('valid_to') }} as valid_to,
        {{ sn_reference('location') }} as location_id
    from source
)

select * from renamed
