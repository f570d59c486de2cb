{#-
    A short portal label for an impact in kgCO2e over a number of years (mart_catalogue_item_impact):
    "≈ 210 kg CO2e over 5 years" / "≈ 210 kg CO2e sur 5 ans"; without years, a yearly figure:
    "≈ 12 kg CO2e per year" / "≈ 12 kg CO2e par an". Two significant figures, in tonnes from
    1,000 kg; a decimal comma in French.
-#}
{% macro impact_label(kgco2e, years, language) -%}
    {%- set kgco2e = '(' ~ kgco2e ~ ')' -%}
    {%- set yearly = years is none -%}
    {%- set years = '(' ~ (years if not yearly else 1) ~ ')' -%}
    {%- set rounded = rounded_figure(
        'case when ' ~ kgco2e ~ ' >= 1000 then ' ~ kgco2e ~ ' / 1000 else ' ~ kgco2e ~ ' end'
    ) -%}
    {%- set unit = "case when " ~ kgco2e ~ " >= 1000 then ' t CO2e' else ' kg CO2e' end" -%}
    {%- set period = figure_text(years, language) -%}
    {%- if yearly -%}
        '≈ ' || {{ figure_text(rounded, language) }} || {{ unit }}
        || '{{ " par an" if language == "fr" else " per year" }}'
    {%- elif language == 'fr' -%}
        '≈ ' || {{ figure_text(rounded, 'fr') }} || {{ unit }} || ' sur ' || {{ period }}
        || case when {{ years }} = 1 then ' an' else ' ans' end
    {%- else -%}
        '≈ ' || {{ figure_text(rounded, 'en') }} || {{ unit }} || ' over ' || {{ period }}
        || case when {{ years }} = 1 then ' year' else ' years' end
    {%- endif -%}
{%- endmacro %}

{#- A positive figure rounded to two significant figures (213.4 -> 210, 8.37 -> 8.4). -#}
{% macro rounded_figure(figure) -%}
    {{ return(adapter.dispatch('rounded_figure', 'empreinte')('(' ~ figure ~ ')')) }}
{%- endmacro %}

{% macro default__rounded_figure(figure) -%}
    case
        when {{ figure }} > 0
            then round({{ figure }}, cast(1 - floor(log10({{ figure }})) as integer))
        else 0
    end
{%- endmacro %}

{#-
    Spark's round() takes a constant scale only: one branch per order of magnitude (1e-9 to
    1e15, far beyond any label's kg or t), each rounding with its own constant scale.
-#}
{% macro spark__rounded_figure(figure) -%}
    case
        when {{ figure }} <= 0 then 0
        {%- for magnitude in range(-9, 16) %}
        when {{ figure }} < 1e{{ magnitude + 1 }} then round({{ figure }}, {{ 1 - magnitude }})
        {%- endfor %}
        else {{ figure }}
    end
{%- endmacro %}

{#- A figure as text: whole numbers without decimals, a decimal comma in French. -#}
{% macro figure_text(figure, language) -%}
    {%- set figure = '(' ~ figure ~ ')' -%}
    {%- set text -%}
        case
            when {{ figure }} = floor({{ figure }})
                then cast(cast({{ figure }} as bigint) as {{ dbt.type_string() }})
            else cast(round({{ figure }}, 2) as {{ dbt.type_string() }})
        end
    {%- endset -%}
    {%- if language == 'fr' -%} replace({{ text }}, '.', ',') {%- else -%} {{ text }} {%- endif -%}
{%- endmacro %}
