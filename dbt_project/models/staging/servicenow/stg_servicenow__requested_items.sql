-- Requested catalogue items (`sc_req_item`); the requester is never landed.
with

source as (
    {{ latest_versions(source('servicenow', 'sc_req_item')) }}
),

renamed as (
    select
        sys_id as requested_item_id,
        {{ sn_string('number') }} as requested_item_number,
        {{ sn_reference('cat_item') }} as catalogue_item_id,
        {{ sn_integer('quantity') }} as quantity,
        {{ sn_date_time('opened_at') }} as opened_at,
        {{ sn_local_date('opened_at') }} as opened_on,
        {{ sn_reference('location') }} as location_id,
        {{ sn_choice('stage') }} as stage,
        {{ sn_reference('cost_center') }} as cost_center_id,
        {{ sn_reference('business_service') }} as service_id
    from source
)

select * from renamed
