with

source as (
    {{ latest_versions(source('servicenow', 'ast_contract')) }}
),

renamed as (
    select
        sys_id as contract_id,
        {{ sn_string('number') }} as contract_number,
        {{ sn_reference('vendor') }} as vendor_id,
        -- A contract model record (Maintenance, Service, Lease...), read from cmdb_model.
        {{ sn_reference('contract_model') }} as contract_model_id,
        {{ sn_date('starts') }} as starts_on,
        {{ sn_date('ends') }} as ends_on,
        {{ sn_choice('state') }} as contract_state,
        {{ sn_currency('payment_amount') }} as payment_amount,
        {{ sn_choice('payment_schedule') }} as payment_schedule,
        {{ sn_currency('yearly_cost') }} as yearly_cost,
        {{ sn_currency('total_cost') }} as total_cost,
        {{ sn_reference('cost_center') }} as cost_center_id
    from source
)

select * from renamed
