-- Cost centres (`cmn_cost_center`), the unit budgets are coloured by.
with

cost_centers as (
    select * from {{ ref('stg_servicenow__cost_centers') }}
),

final as (
    select
        cost_center_id,
        cost_center_name,
        cost_center_code,
        parent_cost_center_id,
        valid_from,
        valid_to
    from cost_centers
)

select * from final
