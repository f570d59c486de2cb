with

source as (
    {{ latest_versions(source('servicenow', 'alm_transfer_order_line')) }}
),

renamed as (
    select
        sys_id as transfer_order_line_id,
        {{ sn_string('number') }} as transfer_order_line_number,
        {{ sn_reference('transfer_order') }} as transfer_order_id,
        {{ sn_reference('model') }} as model_id,
        {{ sn_reference('asset') }} as asset_id,
        {{ sn_integer('quantity_requested') }} as quantity_requested,
        {{ sn_integer('quantity_received') }} as quantity_received,
        {{ sn_choice('stage') }} as stage
    from source
)

select * from renamed
