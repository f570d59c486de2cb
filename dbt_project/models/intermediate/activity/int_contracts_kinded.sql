-- Each contract with its kind and money ratio (the `contract_kinds` seed, by the name of its
-- contract model; a model missing there counts as a service, `is_kind_known` false) and what
-- its expense lines paid.
with

contracts as (
    select * from {{ ref('stg_servicenow__contracts') }}
),

models as (
    select * from {{ ref('stg_servicenow__models') }}
),

kinds as (
    select * from {{ ref('contract_kinds') }}
),

expense_lines as (
    select * from {{ ref('stg_servicenow__expense_lines') }}
),

payments as (
    select
        source_record_id as contract_id,
        sum(amount) as paid_amount,
        max(spent_on) as last_paid_on
    from expense_lines
    group by source_record_id
),

final as (
    select
        contracts.contract_id,
        contracts.contract_number,
        contracts.vendor_id,
        contracts.contract_model_id,
        contracts.starts_on,
        contracts.ends_on,
        contracts.contract_state,
        contracts.total_cost,
        contracts.cost_center_id,
        models.model_name as contract_model_name,
        coalesce(kinds.contract_kind, 'unknown') as contract_kind,
        coalesce(kinds.money_factor_key, 'it_services') as money_factor_key,
        coalesce(kinds.is_counted, true) as is_counted,
        kinds.contract_kind is not null as is_kind_known,
        coalesce(payments.paid_amount, 0) as paid_amount,
        payments.last_paid_on
    from contracts
    left join models on contracts.contract_model_id = models.model_id
    left join kinds on models.model_name = kinds.contract_model_name
    left join payments on contracts.contract_id = payments.contract_id
)

select * from final
