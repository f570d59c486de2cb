"""For the people who use the warehouse: the report, the dashboard and the explanations.

Every figure is read from the published warehouse (`pipelines.warehouse.connect_read_only`);
the formulas stay in dbt, these modules only select, label and draw.
"""
