-- Departments (`cmn_department`) of the towns' administrations.
with

departments as (
    select * from {{ ref('stg_servicenow__departments') }}
),

final as (
    select
        department_id,
        department_name,
        company_id as town_id,
        cost_center_id
    from departments
)

select * from final
