"""Reading the public marts of one schema of a DuckDB file, read-only: the report's only input."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

Row = dict[str, Any]

# The schema the build publishes the marts in (dbt_project.yml models: marts: +schema).
MARTS_SCHEMA = "marts"

# Every mart the report reads (the dbt exposure segmentation_audit_report lists those
# the project builds, so the lineage ends at the report).
REPORT_MARTS = (
    "customer_segments",
    "segment_profiles",
    "segment_feature_profiles",
    "segment_centroids",
    "segment_map_loadings",
    "segment_model_selection",
    "segment_recommendations",
    "propensity_metrics",
    "propensity_lift",
    "campaign_targets",
    "segment_fairness",
    "segment_fairness_summary",
    "proxy_check",
    "propensity_fairness",
    "data_quality",
    "run_manifest",
)


def _plain(value: Any) -> Any:
    """DECIMAL values as floats, so charts and formats treat every number alike."""
    return float(value) if isinstance(value, Decimal) else value


class MartReader:
    """Queries against the marts of one schema of a DuckDB file, opened read-only."""

    def __init__(self, database: Path, schema: str = MARTS_SCHEMA) -> None:
        import duckdb

        if not Path(database).exists():
            raise FileNotFoundError(
                f"DuckDB file {database} not found: run `make build` (or `dbt build`) first, "
                "or point SEGMENTATION_DUCKDB_PATH / --database at the file the build wrote."
            )
        self.connection = duckdb.connect(str(database), read_only=True)
        self.schema = schema
        self.tables = {
            name
            for (name,) in self.connection.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [schema],
            ).fetchall()
        }

    def has(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def columns(self, table: str) -> list[str]:
        return [
            name
            for (name,) in self.connection.execute(
                "select column_name from information_schema.columns "
                "where table_schema = ? and table_name = ? order by ordinal_position",
                [self.schema, table],
            ).fetchall()
        ]

    def rows(self, sql: str, parameters: Sequence[Any] = ()) -> list[Row]:
        relation = self.connection.execute(sql.replace("{schema}", f'"{self.schema}"'), parameters)
        names = [d[0] for d in relation.description]
        return [
            {name: _plain(value) for name, value in zip(names, values, strict=True)}
            for values in relation.fetchall()
        ]

    def close(self) -> None:
        self.connection.close()
