with

source as (
    {{ latest_versions(source('servicenow', 'core_company')) }}
),

renamed as (
    select
        sys_id as company_id,
        name as company_name,
        {{ sn_string('city') }} as city,
        {{ sn_string('country') }} as country,
        {{ sn_decimal('latitude') }} as latitude,
        {{ sn_decimal('longitude') }} as longitude,
        {{ sn_boolean('customer') }} as is_customer,
        {{ sn_boolean('vendor') }} as is_vendor,
        {{ sn_boolean('manufacturer') }} as is_manufacturer,
        {{ sn_reference('parent') }} as parent_company_id
    from source
)

select * from renamed
