-- Every landed version of each hardware asset (not deduplicated): its status history, as far
-- as the loads saw it. Delete markers are left out.
with

source as (
    select * from {{ source('servicenow', 'alm_hardware') }}
),

renamed as (
    select
        sys_id as asset_id,
        nullif(install_status, '') as install_status,
        nullif(substatus, '') as substatus,
        {{ sn_timestamp('sys_updated_on') }} as updated_at
    from source
    where not _is_deleted
)

select * from renamed
