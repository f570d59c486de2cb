-- Product models (`cmdb_model`), hardware and contract models alike (`model_class` tells them
-- apart: reading cmdb_model returns the records of the tables extending it).
with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_model')) }}
),

renamed as (
    select
        sys_id as model_id,
        name as model_name,
        {{ sn_string('display_name') }} as model_display_name,
        {{ sn_reference('manufacturer') }} as manufacturer_id,
        {{ sn_string('model_number') }} as model_number,
        -- A list field: a model may be filed under several categories; the first one names it.
        {{ sn_list_first('cmdb_model_category') }} as model_category_id,
        {{ sn_list('cmdb_model_category') }} as model_category_ids,
        {{ sn_integer('power_consumption') }} as power_watts,
        {{ sn_string('sys_class_name') }} as model_class,
        -- The model form's "Weight (lbs)", in kilograms (1 lb = 0.45359237 kg exactly).
        {{ sn_integer('weight') }} * 0.45359237 as weight_kg
    from source
)

select * from renamed
