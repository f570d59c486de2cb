with

source as (
    {{ latest_versions(source('servicenow', 'alm_transfer_order')) }}
),

renamed as (
    select
        sys_id as transfer_order_id,
        {{ sn_string('number') }} as transfer_order_number,
        {{ sn_reference('from_stockroom') }} as from_stockroom_id,
        {{ sn_reference('to_stockroom') }} as to_stockroom_id,
        {{ sn_choice('stage') }} as stage,
        {{ sn_date_time('ship_date') }} as shipped_at,
        {{ sn_local_date('ship_date') }} as shipped_on,
        {{ sn_date_time('delivery_date') }} as delivered_at,
        {{ sn_local_date('delivery_date') }} as delivered_on
    from source
)

select * from renamed
