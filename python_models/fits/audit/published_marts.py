"""Publishes the build: the marts of mart_inventory, copied into a new DuckDB file that
replaces the published one in one rename. It runs last, and dbt build skips it when any
model or error-severity test before it failed, so a failed build publishes nothing."""

from pathlib import Path

from customer_segmentation.frames import read_frame
from customer_segmentation.lifecycle.publishing import publication_record, publish


def model(dbt, session):
    dbt.config(materialized="table")
    meta = dbt.config.get("meta") or {}
    record = publication_record(read_frame(dbt.ref("mart_inventory")))
    publish(
        session,
        dbt.this.schema,
        list(record["mart_name"]),
        record,
        Path(meta["published_path"]),
        meta["storage_version"],
    )
    return record
