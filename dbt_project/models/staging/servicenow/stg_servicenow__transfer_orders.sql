with

source as (
    {{ latest_versions(source('servicenow', 'alm_transfer_order')) }}
),

renamed as (
    select
        sys_id as transfer_order_id,
        number as transfer_order_number,
        {{ sn_reference('from_stockroom') }} as from_stockroom_id,
        {{ sn_reference('to_stockroom') }} as to_stockroom_id,
        nullif(stage, '') as stage,
        {{ sn_timestamp('ship_date') }} as shipped_at,
        {{ sn_timestamp('delivery_date') }} as delivered_at
    from source
)

select * from renamed
