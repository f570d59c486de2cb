with

source as (
    {{ latest_versions(source('servicenow', 'cmn_department')) }}
),

renamed as (
    select
        sys_id as department_id,
        name as department_name,
        {{ sn_reference('company') }} as company_id,
        {{ sn_reference('cost_center') }} as cost_center_id
    from source
)

select * from renamed
