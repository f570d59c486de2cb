"""Every word the report, the dashboard and the explanations show, in French (the default:
the reference user is French) and English. One catalogue; code only names keys."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# How each language writes a figure: the separator of thousands (a narrow no-break space in
# French), the decimal mark and the percent sign. `number` and `percent` write with it; the
# dashboard hands it to the browser as its tables' locale (d3-format's keys).
NUMBER_STYLE: dict[str, dict[str, str]] = {
    "fr": {"group": "\u202f", "decimal": ",", "percent": "\u202f%"},
    "en": {"group": ",", "decimal": ".", "percent": "%"},
}

MESSAGES: dict[str, dict[str, str]] = {
    # report frame
    "report_title": {
        "fr": "Empreinte environnementale du numérique — {year}",
        "en": "Environmental footprint of IT — {year}",
    },
    "generated": {
        "fr": "Chiffres au {as_of} (année {status}), jeu de facteurs {factor_set}.",
        "en": "Figures as of {as_of} (year {status}), factor set {factor_set}.",
    },
    "contents": {"fr": "Sommaire", "en": "Contents"},
    "missing_mart": {
        "fr": "Non disponible : l'entrepôt publié ne contient pas {mart}.",
        "en": "Not available: the published warehouse holds no {mart}.",
    },
    "no_rows": {"fr": "Aucune ligne pour cette année.", "en": "No rows for this year."},
    "status_complete": {"fr": "complète", "en": "complete"},
    "status_year_to_date": {"fr": "en cours", "en": "to date"},
    "status_future": {"fr": "à venir", "en": "future"},
    "method_amortised": {"fr": "amorti", "en": "amortised"},
    "method_acquisition": {"fr": "à l'acquisition", "en": "at acquisition"},
    # sections
    "section_headline": {"fr": "Chiffres clés", "en": "Headline figures"},
    "section_towns": {"fr": "Par commune", "en": "By town"},
    "section_stages": {"fr": "Par étape du cycle de vie", "en": "By life-cycle stage"},
    "section_sources": {"fr": "Par source d'émission", "en": "By emission source"},
    "section_trend": {
        "fr": "Évolution depuis l'année de référence et trajectoire 2050",
        "en": "Trend since the baseline and trajectory to 2050",
    },
    "section_categories": {
        "fr": "Catégories et modèles les plus lourds",
        "en": "Top categories and models",
    },
    "section_budgets": {"fr": "Budgets colorés", "en": "Budgets by colour"},
    "section_services": {
        "fr": "Services les plus lourds et impact par utilisateur",
        "en": "Heaviest services and their per-user impact",
    },
    "section_catalogue": {
        "fr": "Articles du catalogue classés par impact",
        "en": "Catalogue items ranked by impact",
    },
    "section_transport": {
        "fr": "Transport et collecte (seconde vie)",
        "en": "Transport and collection (second life)",
    },
    "section_keep": {
        "fr": "Garder ou remplacer : point mort",
        "en": "Keep or replace: break-even",
    },
    "section_quality": {"fr": "Qualité des données", "en": "Data quality"},
    "section_scenario": {"fr": "Scénario {name}", "en": "Scenario {name}"},
    "section_explanations": {
        "fr": "Comment les chiffres sont calculés",
        "en": "How the figures are computed",
    },
    # columns
    "col_criterion": {"fr": "Critère", "en": "Criterion"},
    "col_method": {"fr": "Méthode", "en": "Method"},
    "col_value": {"fr": "Valeur", "en": "Value"},
    "col_range": {"fr": "Fourchette", "en": "Range"},
    "col_low": {"fr": "Fourchette basse", "en": "Range, low"},
    "col_high": {"fr": "Fourchette haute", "en": "Range, high"},
    "col_unit": {"fr": "Unité", "en": "Unit"},
    "col_name": {"fr": "Nom", "en": "Name"},
    "col_items": {"fr": "Éléments", "en": "Items"},
    "col_tco2e": {"fr": "tCO2e", "en": "tCO2e"},
    "col_kgco2e": {"fr": "kgCO2e", "en": "kgCO2e"},
    "col_share": {"fr": "Part", "en": "Share"},
    "col_year": {"fr": "Année", "en": "Year"},
    "col_status": {"fr": "Statut", "en": "Status"},
    "col_change": {"fr": "Écart à la référence", "en": "Change since baseline"},
    "col_target": {"fr": "Cible (tCO2e)", "en": "Target (tCO2e)"},
    "col_gap": {"fr": "Écart à la cible (tCO2e)", "en": "Gap to target (tCO2e)"},
    "col_cost_center": {"fr": "Centre de coût", "en": "Cost centre"},
    "col_budget_line": {"fr": "Ligne budgétaire", "en": "Budget line"},
    "col_spend": {"fr": "Dépense (€)", "en": "Spend (€)"},
    "col_per_euro": {"fr": "kgCO2e par €", "en": "kgCO2e per €"},
    "col_colour": {"fr": "Couleur", "en": "Colour"},
    "col_service": {"fr": "Service", "en": "Service"},
    "col_users": {"fr": "Utilisateurs", "en": "Users"},
    "col_per_user": {"fr": "kgCO2e par utilisateur", "en": "kgCO2e per user"},
    "col_item": {"fr": "Article", "en": "Item"},
    "col_model": {"fr": "Modèle", "en": "Model"},
    "col_category": {"fr": "Catégorie", "en": "Category"},
    "col_life_impact": {"fr": "Sur sa vie (kgCO2e)", "en": "Over its life (kgCO2e)"},
    "col_per_year": {"fr": "Par an (kgCO2e)", "en": "Per year (kgCO2e)"},
    "col_source": {"fr": "Source", "en": "Source"},
    "col_origin": {"fr": "Origine", "en": "Origin"},
    "col_outcome": {"fr": "Devenir", "en": "Outcome"},
    "col_second_life": {"fr": "Seconde vie", "en": "Second life"},
    "col_acquired": {"fr": "Acquis en", "en": "Acquired in"},
    "col_assets": {"fr": "Équipements", "en": "Assets"},
    "col_net_keeping": {
        "fr": "Gain à garder (kgCO2e/an/équipement)",
        "en": "Saving of keeping (kgCO2e/year/device)",
    },
    "col_break_even": {"fr": "Point mort (ans)", "en": "Break-even (years)"},
    "col_decision": {"fr": "Décision", "en": "Decision"},
    "col_match_level": {"fr": "Niveau de correspondance", "en": "Match level"},
    "col_measure": {"fr": "Mesure", "en": "Measure"},
    "col_detail": {"fr": "Détail", "en": "Detail"},
    "col_baseline": {"fr": "Sans scénario (tCO2e)", "en": "Without the scenario (tCO2e)"},
    "col_scenario": {"fr": "Avec scénario (tCO2e)", "en": "With the scenario (tCO2e)"},
    "col_difference": {"fr": "Différence (tCO2e)", "en": "Difference (tCO2e)"},
    "col_explain": {"fr": "Explication", "en": "Explanation"},
    "col_key": {"fr": "Identifiant", "en": "Identifier"},
    # one-line readings of the charts
    "reading_towns": {
        "fr": "{name} porte {share} de l'empreinte {year}.",
        "en": "{name} carries {share} of the {year} footprint.",
    },
    "reading_stages": {
        "fr": "L'étape « {name} » pèse {share} de l'empreinte {year}.",
        "en": "The {name} stage weighs {share} of the {year} footprint.",
    },
    "reading_sources": {
        "fr": "La source « {name} » fait {share} de l'empreinte {year}.",
        "en": "The {name} source makes {share} of the {year} footprint.",
    },
    "reading_trend": {
        "fr": "De {baseline} à {year}, l'empreinte amortie a varié de {change}.",
        "en": "From {baseline} to {year}, the amortised footprint changed by {change}.",
    },
    "reading_trajectory": {
        "fr": "En {year}, l'écart à la trajectoire est de {gap} tCO2e.",
        "en": "In {year}, the gap to the trajectory is {gap} tCO2e.",
    },
    "reading_categories": {
        "fr": "La catégorie {name} porte {share} de l'empreinte {year}.",
        "en": "The {name} category carries {share} of the {year} footprint.",
    },
    "reading_catalogue": {
        "fr": "Commander « {name} » cause {value} kgCO2e sur sa vie.",
        "en": "Ordering “{name}” causes {value} kgCO2e over its life.",
    },
    "reading_budgets": {
        "fr": "{name} est le centre de coût le plus émetteur : {value} kgCO2e.",
        "en": "{name} is the heaviest cost centre: {value} kgCO2e.",
    },
    "reading_services": {
        "fr": "{name} est le service le plus lourd : {value} kgCO2e.",
        "en": "{name} is the heaviest service: {value} kgCO2e.",
    },
    "reading_quality": {
        "fr": "{share} des équipements ont un facteur au niveau « {name} ».",
        "en": "{share} of the assets have a factor at the “{name}” level.",
    },
    "reading_transport": {
        "fr": "Hors équipements, la source la plus lourde est {name} : {value} tCO2e.",
        "en": "Besides the devices, the heaviest source is {name}: {value} tCO2e.",
    },
    "reading_end_of_life": {
        "fr": "{value} éléments ont eu une seconde vie en {year}.",
        "en": "{value} items had a second life in {year}.",
    },
    "reading_keep": {
        "fr": "Pour {value} des cohortes listées, garder un an de plus émet moins.",
        "en": "For {value} of the cohorts listed, keeping one more year emits less.",
    },
    "target_source": {"fr": "Cible : {source} ({year}).", "en": "Target: {source} ({year})."},
    "actual": {"fr": "Réel", "en": "Actual"},
    "target": {"fr": "Cible", "en": "Target"},
    # explanations
    "explain_asset": {
        "fr": "Équipement {asset} — {category}, modèle {model}, acquis le {acquired}, durée de "
        "vie {lifetime} ans ({lifetime_source}), fenêtre d'amortissement {acquired} → "
        "{window_end}{disposed}.",
        "en": "Asset {asset} — {category}, model {model}, acquired on {acquired}, lifetime "
        "{lifetime} years ({lifetime_source}), amortisation window {acquired} → "
        "{window_end}{disposed}.",
    },
    "explain_disposed": {"fr": ", sorti le {day}", "en": ", disposed on {day}"},
    "explain_place": {
        "fr": "Commune {town}, site {location}{data_centre}.",
        "en": "Town {town}, site {location}{data_centre}.",
    },
    "explain_data_centre": {"fr": " (centre de données)", "en": " (data centre)"},
    "explain_year": {
        "fr": "Année {year} ({status}), critère {criterion} :",
        "en": "Year {year} ({status}), criterion {criterion}:",
    },
    "explain_embodied": {
        "fr": "{stage}, {method} : facteur {factor} = {factor_value} {unit} (niveau "
        "{match_level}) × part de l'année {share} = {value} {unit}",
        "en": "{stage}, {method}: factor {factor} = {factor_value} {unit} (level "
        "{match_level}) × the year's share {share} = {value} {unit}",
    },
    "explain_use": {
        "fr": "usage, {method} : énergie annuelle {energy} kWh × PUE {pue} × part de l'année "
        "en usage {year_share} × réseau {factor} = {grid} {unit}/kWh (niveau {match_level}) "
        "= {value} {unit}",
        "en": "use, {method}: annual energy {energy} kWh × PUE {pue} × share of the year in "
        "use {year_share} × grid {factor} = {grid} {unit}/kWh (level {match_level}) "
        "= {value} {unit}",
    },
    "explain_other": {
        "fr": "{source_kind} {stage}, {method} : {value} {unit} (facteur {factor}, niveau "
        "{match_level})",
        "en": "{source_kind} {stage}, {method}: {value} {unit} (factor {factor}, level "
        "{match_level})",
    },
    "explain_fallback": {
        "fr": "    repli : {fallback} (aucun facteur valide sur la période)",
        "en": "    fallback: {fallback} (no factor valid for the period)",
    },
    "explain_total": {
        "fr": "Total {method} : {value} {unit} (fourchette {low} – {high})",
        "en": "Total {method}: {value} {unit} (range {low} – {high})",
    },
    "explain_factors": {"fr": "Facteurs :", "en": "Factors:"},
    "explain_factor": {
        "fr": "{factor} : {source} ({year}), {url} — jeu {data_set}, édition {edition}, "
        "valide {valid_from} → {valid_to}",
        "en": "{factor}: {source} ({year}), {url} — data set {data_set}, edition {edition}, "
        "valid {valid_from} → {valid_to}",
    },
    "explain_no_rows": {
        "fr": "Aucune ligne d'empreinte pour {year}.",
        "en": "No footprint row for {year}.",
    },
    "explain_item": {
        "fr": "Article du catalogue {name} ({item}) — modèle {model}, {category}, pays {country} :",
        "en": "Catalogue item {name} ({item}) — model {model}, {category}, country {country}:",
    },
    "explain_item_embodied": {
        "fr": "fabrication {manufacturing} + distribution {distribution} + fin de vie "
        "{end_of_life} = {embodied} {unit} par unité",
        "en": "manufacturing {manufacturing} + distribution {distribution} + end of life "
        "{end_of_life} = {embodied} {unit} per unit",
    },
    "explain_item_year": {
        "fr": "par an : {embodied} / {lifetime} ans + usage {annual_use} = {per_year} {unit}",
        "en": "per year: {embodied} / {lifetime} years + use {annual_use} = {per_year} {unit}",
    },
    "explain_item_life": {
        "fr": "sur sa vie : {embodied} + {annual_use} × {lifetime} ans = {life} {unit} "
        "(fourchette {low} – {high}) ; libellé du portail : « {label} »",
        "en": "over its life: {embodied} + {annual_use} × {lifetime} years = {life} {unit} "
        "(range {low} – {high}); portal label: “{label}”",
    },
    "explain_unknown": {
        "fr": "Ni équipement ni article du catalogue : {key}",
        "en": "Neither an asset nor a catalogue item: {key}",
    },
    # dashboard
    "dashboard_title": {"fr": "Empreinte — tableau de bord", "en": "Empreinte — dashboard"},
    "filter_year": {"fr": "Année", "en": "Year"},
    "filter_town": {"fr": "Commune", "en": "Town"},
    "filter_department": {"fr": "Direction", "en": "Department"},
    "filter_cost_center": {"fr": "Centre de coût", "en": "Cost centre"},
    "filter_category": {"fr": "Catégorie", "en": "Category"},
    "filter_source": {"fr": "Source", "en": "Source"},
    "filter_method": {"fr": "Méthode", "en": "Method"},
    "total": {"fr": "Total climat (tCO2e)", "en": "Climate total (tCO2e)"},
    "drill_towns": {"fr": "Communes", "en": "Towns"},
    "drill_sites": {"fr": "Sites de {name}", "en": "Sites of {name}"},
    "drill_assets": {"fr": "Équipements de {name}", "en": "Assets of {name}"},
    "drill_hint": {
        "fr": "Cliquer sur une ligne pour descendre commune → site → équipement.",
        "en": "Click a row to drill down town → site → asset.",
    },
    "download_csv": {"fr": "Télécharger en CSV", "en": "Download as CSV"},
    "tab_overview": {"fr": "Vue d'ensemble", "en": "Overview"},
    "tab_drill": {"fr": "Exploration", "en": "Drill-down"},
    "tab_decisions": {"fr": "Décisions", "en": "Decisions"},
    "tab_quality": {"fr": "Qualité", "en": "Quality"},
}


def translator(language: str) -> Callable[..., str]:
    """``t(key, **values)``: the message in ``language``, its placeholders filled."""
    if language not in LANGUAGES:
        raise ValueError(f"language {language!r}: choose one of {', '.join(LANGUAGES)}")

    def translate(message: str, /, **values: object) -> str:
        return MESSAGES[message][language].format(**values)

    return translate


def number(value: float | int | Decimal | None, language: str, digits: int = 1) -> str:
    """A figure as its readers write it: `12 345,6` in French, `12,345.6` in English."""
    if value is None:
        return "—"
    # A figure that rounds to zero is 0, not "-0" (adding 0 turns a negative zero positive, for
    # floats and for the Decimals DuckDB gives alike).
    text = f"{round(value, digits) + 0:,.{digits}f}"
    style = NUMBER_STYLE[language]
    return text.translate(str.maketrans({",": style["group"], ".": style["decimal"]}))


def percent(share: float | None, language: str) -> str:
    """A share (0.38) as a percentage (`38 %` / `38%`)."""
    if share is None:
        return "—"
    return number(100 * share, language, 0) + NUMBER_STYLE[language]["percent"]
