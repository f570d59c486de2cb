with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_model')) }}
),

renamed as (
    select
        sys_id as model_id,
        name as model_name,
        nullif(display_name, '') as model_display_name,
        {{ sn_reference('manufacturer') }} as manufacturer_id,
        nullif(model_number, '') as model_number,
        {{ sn_reference('cmdb_model_category') }} as model_category_id,
        {{ sn_number('power_consumption') }} as power_watts,
        -- The model form's "Weight (lbs)", in kilograms (1 lb = 0.45359237 kg exactly).
        {{ sn_number('weight') }} * 0.45359237 as weight_kg
    from source
)

select * from renamed
