-- Product models (`cmdb_model`) with their manufacturer, category and the factor library's
-- match (hardware and contract models alike: `model_class` tells them apart).
with

models as (
    select * from {{ ref('stg_servicenow__models') }}
),

model_categories as (
    select * from {{ ref('stg_servicenow__model_categories') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

model_matches as (
    select * from {{ ref('stg_factors__model_matches') }}
),

final as (
    select
        models.model_id,
        coalesce(models.model_display_name, models.model_name) as model_name,
        models.model_number,
        models.model_class,
        manufacturers.company_name as manufacturer_name,
        model_categories.model_category_name,
        model_matches.model_key,
        model_matches.device_category,
        model_matches.category_source,
        coalesce(model_matches.match_level, 'unmapped') as model_match_level
    from models
    left join model_categories on models.model_category_id = model_categories.model_category_id
    left join companies as manufacturers on models.manufacturer_id = manufacturers.company_id
    left join model_matches on models.model_id = model_matches.model_id
)

select * from final
