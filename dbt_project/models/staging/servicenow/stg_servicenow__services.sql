with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_ci_service')) }}
),

renamed as (
    select
        sys_id as service_id,
        name as service_name,
        {{ sn_reference('parent') }} as parent_service_id,
        {{ sn_choice('operational_status') }} as operational_status,
        {{ sn_choice('busines_criticality') }} as business_criticality,
        {{ sn_choice('used_for') }} as used_for,
        {{ sn_reference('company') }} as company_id
    from source
)

select * from renamed
