{#- What an alm_hardware status says (choice values; see stg_servicenow__hardware_assets). -#}

{#- In use: 1 In use, 3 In maintenance. -#}
{% macro is_in_use(install_status='install_status') -%}
    coalesce({{ install_status }} in ('1', '3'), false)
{%- endmacro %}

{#- Gone from the fleet: 7 Retired, or a substatus saying the asset left the organisation. -#}
{% macro has_left_fleet(install_status='install_status', substatus='substatus') -%}
    (
        coalesce({{ install_status }} = '7', false)
        or coalesce({{ substatus }}, '') in (
            'disposed', 'sold', 'donated', 'vendor_credit', 'lost', 'stolen'
        )
    )
{%- endmacro %}
