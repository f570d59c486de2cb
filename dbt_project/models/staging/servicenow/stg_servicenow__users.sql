-- Agents (`sys_user`): keys and flags only, no personal data is ever landed.
with

source as (
    {{ latest_versions(source('servicenow', 'sys_user')) }}
),

renamed as (
    select
        sys_id as user_id,
        {{ sn_reference('department') }} as department_id,
        {{ sn_reference('location') }} as location_id,
        {{ sn_reference('company') }} as company_id,
        {{ sn_reference('cost_center') }} as cost_center_id,
        {{ sn_boolean('active') }} as is_active
    from source
)

select * from renamed
