with

source as (
    {{ latest_versions(source('servicenow', 'alm_hardware')) }}
),

renamed as (
    select
        sys_id as asset_id,
        asset_tag,
        {{ sn_reference('model') }} as model_id,
        {{ sn_reference('model_category') }} as model_category_id,
        {{ sn_reference('company') }} as town_id,
        {{ sn_reference('location') }} as location_id,
        {{ sn_reference('cost_center') }} as cost_center_id,
        {{ sn_reference('department') }} as department_id,
        {{ sn_reference('ci') }} as configuration_item_id,
        nullif(install_status, '') as install_status,
        nullif(substatus, '') as substatus,
        {{ sn_number('cost') }} as cost,
        {{ sn_date('purchase_date') }} as purchased_on,
        {{ sn_date('install_date') }} as installed_on,
        {{ sn_date('retired') }} as retired_on,
        nullif(disposal_reason, '') as disposal_reason,
        {{ sn_timestamp('sys_created_on') }} as created_at,
        {{ sn_timestamp('sys_updated_on') }} as updated_at
    from source
)

select * from renamed
