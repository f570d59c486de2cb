-- The current state of each hardware asset. Date-times are UTC; the dates the rules use are
-- local dates in the organisation's time zone (see macros/time_zones.sql).
with

source as (
    {{ latest_versions(source('servicenow', 'alm_hardware')) }}
),

renamed as (
    select
        sys_id as asset_id,
        {{ sn_string('asset_tag') }} as asset_tag,
        {{ sn_reference('model') }} as model_id,
        {{ sn_reference('model_category') }} as model_category_id,
        {{ sn_reference('company') }} as town_id,
        {{ sn_reference('location') }} as location_id,
        {{ sn_reference('cost_center') }} as cost_center_id,
        {{ sn_reference('department') }} as department_id,
        {{ sn_reference('ci') }} as configuration_item_id,
        {{ sn_choice('install_status') }} as install_status,
        {{ sn_choice('substatus') }} as substatus,
        {{ sn_currency('cost') }} as cost,
        {{ sn_date('purchase_date') }} as purchased_on,
        {{ sn_date_time('install_date') }} as installed_at,
        {{ sn_local_date('install_date') }} as installed_on,
        {{ sn_date('retired') }} as retired_on,
        {{ sn_string('disposal_reason') }} as disposal_reason,
        {{ sn_date_time('sys_created_on') }} as created_at,
        {{ sn_local_date('sys_created_on') }} as created_on,
        {{ sn_date_time('sys_updated_on') }} as updated_at,
        {{ sn_local_date('sys_updated_on') }} as updated_on
    from source
)

select * from renamed
