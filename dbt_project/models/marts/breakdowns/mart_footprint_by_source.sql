-- The footprint per town, year and emission source, with its GHG Protocol scope and category
-- and how it was computed (the share resting on money ratios is `calculation_method =
-- 'money_ratio'`). Its totals per year, method and criterion are fct_footprint's.
with

footprint as (
    select * from {{ ref('fct_footprint') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

summed as (
    select
        reporting_year,
        method,
        criterion,
        unit,
        town_id,
        source_kind,
        ghg_scope,
        ghg_category,
        calculation_method,
        count(*) as rows_summed,
        sum(value) as value,
        sum(value_min) as value_min,
        sum(value_max) as value_max
    from footprint
    group by
        reporting_year,
        method,
        criterion,
        unit,
        town_id,
        source_kind,
        ghg_scope,
        ghg_category,
        calculation_method
),

final as (
    select
        summed.reporting_year,
        summed.method,
        summed.criterion,
        summed.unit,
        summed.town_id,
        towns.company_name as town_name,
        summed.source_kind,
        summed.ghg_scope,
        summed.ghg_category,
        summed.calculation_method,
        summed.rows_summed,
        summed.value,
        summed.value_min,
        summed.value_max
    from summed
    left join companies as towns on summed.town_id = towns.company_id
)

select * from final
