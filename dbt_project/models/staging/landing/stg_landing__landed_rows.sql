-- Every landed row of every table, by its batch (the lake's path names its source and table).
with

source as (
    select * from {{ source('landing', 'landed_batches') }}
),

renamed as (
    select
        {{ dbt.split_part('filename', "'/'", -3) }} as source_name,
        {{ dbt.split_part('filename', "'/'", -2) }} as table_name,
        _batch_id as batch_id,
        _extracted_at as extracted_at,
        _is_deleted as is_delete_marker
    from source
)

select * from renamed
