-- Every contract with its vendor, kind, dates, spend (contract value and what its expense
-- lines paid) and the number of assets it covers.
with

contracts as (
    select * from {{ ref('int_contracts_kinded') }}
),

companies as (
    select * from {{ ref('stg_servicenow__companies') }}
),

coverage as (
    select * from {{ ref('stg_servicenow__contract_assets') }}
),

covered as (
    select
        contract_id,
        count(*) as covered_assets
    from coverage
    group by contract_id
),

final as (
    select
        contracts.contract_id,
        contracts.contract_number,
        vendors.company_name as vendor_name,
        contracts.contract_model_name,
        contracts.contract_kind,
        contracts.is_kind_known,
        contracts.money_factor_key,
        contracts.is_counted,
        contracts.starts_on,
        contracts.ends_on,
        contracts.contract_state,
        cast(contracts.total_cost as {{ type_double() }}) as total_cost,
        cast(contracts.paid_amount as {{ type_double() }}) as paid_amount,
        contracts.cost_center_id,
        coalesce(covered.covered_assets, 0) as covered_assets
    from contracts
    left join companies as vendors on contracts.vendor_id = vendors.company_id
    left join covered on contracts.contract_id = covered.contract_id
)

select * from final
