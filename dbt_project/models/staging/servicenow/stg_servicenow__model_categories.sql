with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_model_category')) }}
),

renamed as (
    select
        sys_id as model_category_id,
        name as model_category_name
    from source
)

select * from renamed
