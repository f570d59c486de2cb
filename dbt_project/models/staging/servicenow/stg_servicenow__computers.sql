-- Computers in the CMDB (`cmdb_ci_computer`): what the configuration item says of the machine.
with

source as (
    {{ latest_versions(source('servicenow', 'cmdb_ci_computer')) }}
),

renamed as (
    select
        sys_id as computer_id,
        {{ sn_reference('asset') }} as asset_id,
        {{ sn_reference('model_id') }} as model_id,
        -- Free text, as discovery or an agent wrote it ("Laptop", "Mini Tower"...).
        {{ sn_string('form_factor') }} as form_factor,
        {{ sn_integer('cpu_count') }} as cpu_count,
        {{ sn_integer('ram') }} as ram_mb,
        {{ sn_decimal('disk_space') }} as disk_gb,
        {{ sn_string('sys_class_name') }} as computer_class
    from source
)

select * from renamed
