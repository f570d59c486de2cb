-- Service catalogue items (`sc_cat_item`): what agents order, a hardware model or a service.
with

source as (
    {{ latest_versions(source('servicenow', 'sc_cat_item')) }}
),

renamed as (
    select
        sys_id as catalogue_item_id,
        name as catalogue_item_name,
        {{ sn_reference('category') }} as catalogue_category_id,
        {{ sn_currency('price') }} as price,
        -- A hardware item names the model it delivers; a service item names none.
        {{ sn_reference('model') }} as model_id,
        {{ sn_boolean('active') }} as is_active
    from source
)

select * from renamed
