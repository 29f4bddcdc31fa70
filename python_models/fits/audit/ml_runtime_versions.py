"""Records the Python and package versions this build ran with (for run_manifest)."""

from customer_segmentation.runtime import package_versions


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    return package_versions(meta.get("packages") or [])
