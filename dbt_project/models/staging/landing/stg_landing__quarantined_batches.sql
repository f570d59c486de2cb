-- Batches and files landing kept out of the lake whole, with the first of their reasons.
with

source as (
    select * from {{ source('landing', 'quarantined_batches') }}
),

renamed as (
    select
        batch_id,
        source as source_name,
        table_name,
        file as source_file,
        stage as quarantine_stage,
        {{ first_of_list('reasons') }} as first_reason,
        {{ length_of_list('reasons') }} as reason_count,
        rows as row_count,
        quarantined_at
    from source
)

select * from renamed
