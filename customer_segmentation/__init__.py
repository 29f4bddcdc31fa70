"""Python library behind the dbt Python models: fitting, never dbt itself."""

__version__ = "0.1.0"
