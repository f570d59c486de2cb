-- The yearly footprint with one column per criterion, each named with its unit: for tools that
-- want one row per year, method, stage, town and category rather than one per criterion.
{%- set criteria = {
    'climate_change': 'climate_change_kgco2e',
    'climate_change_fossil': 'climate_change_fossil_kgco2e',
    'climate_change_biogenic': 'climate_change_biogenic_kgco2e',
    'climate_change_land_use': 'climate_change_land_use_kgco2e',
    'abiotic_depletion': 'abiotic_depletion_kgsbe',
    'abiotic_depletion_fossil': 'abiotic_depletion_fossil_mj',
    'primary_energy': 'primary_energy_mj',
    'acidification': 'acidification_mol_h_eq',
    'ecotoxicity_freshwater': 'ecotoxicity_freshwater_ctue',
    'human_toxicity_cancer': 'human_toxicity_cancer_ctuh',
    'human_toxicity_non_cancer': 'human_toxicity_non_cancer_ctuh',
    'eutrophication_freshwater': 'eutrophication_freshwater_kgpe',
    'eutrophication_marine': 'eutrophication_marine_kgne',
    'eutrophication_terrestrial': 'eutrophication_terrestrial_molne',
    'ionising_radiation': 'ionising_radiation_kbqu235e',
    'land_use': 'land_use_pt',
    'ozone_depletion': 'ozone_depletion_kgcfc11e',
    'particulate_matter': 'particulate_matter_disease_incidence',
    'photochemical_ozone_formation': 'photochemical_ozone_formation_kgnmvoce',
    'water_use': 'water_use_m3e',
    'material_input': 'material_input_kg',
} %}
with

yearly as (
    select * from {{ ref('fct_footprint_yearly') }}
),

final as (
    select
        yearly.reporting_year,
        yearly.year_status,
        yearly.as_of_date,
        yearly.method,
        yearly.stage,
        yearly.source_kind,
        yearly.town_id,
        yearly.town_name,
        yearly.device_category,
        {% for name, column in criteria.items() %}
            sum(case when yearly.criterion = '{{ name }}' then yearly.value end) as {{ column }},
        {% endfor %}
        yearly.factor_set
    from yearly
    group by
        yearly.reporting_year,
        yearly.year_status,
        yearly.as_of_date,
        yearly.method,
        yearly.stage,
        yearly.source_kind,
        yearly.town_id,
        yearly.town_name,
        yearly.device_category,
        yearly.factor_set
)

select * from final
