-- Every landed version of each hardware asset (not deduplicated): its status history, as far
-- as the loads saw it, each change dated on the organisation's local calendar. Delete markers
-- are left out.
with

source as (
    select * from {{ source('servicenow', 'alm_hardware') }}
),

renamed as (
    select
        sys_id as asset_id,
        {{ sn_choice('install_status') }} as install_status,
        {{ sn_choice('substatus') }} as substatus,
        {{ sn_date_time('sys_updated_on') }} as updated_at,
        {{ sn_local_date('sys_updated_on') }} as updated_on
    from source
    where not _is_deleted
)

select * from renamed
