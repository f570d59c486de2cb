with

source as (
    {{ latest_versions(source('servicenow', 'fm_expense_line')) }}
),

renamed as (
    select
        sys_id as expense_line_id,
        {{ sn_string('number') }} as expense_line_number,
        {{ sn_currency('amount') }} as amount,
        {{ sn_date('date') }} as spent_on,
        {{ sn_reference('cost_center') }} as cost_center_id,
        {{ sn_choice('summary_type') }} as summary_type,
        {{ sn_choice('type') }} as expense_type,
        -- The record that caused the expense: a contract, an asset...
        {{ sn_reference('source_id') }} as source_record_id
    from source
)

select * from renamed
