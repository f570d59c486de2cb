-- Cells landing refused (the row did not land) or flagged (the row landed as text).
with

source as (
    select * from {{ source('landing', 'rejects') }}
),

renamed as (
    select
        source as source_name,
        table_name,
        source_file,
        batch_id,
        row_number,
        field as field_name,
        reason,
        raw_value,
        sys_id as record_id,
        outcome,
        outcome = 'rejected' as is_row_rejected,
        rejected_at
    from source
)

select * from renamed
