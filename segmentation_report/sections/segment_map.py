"""The 2-D segment map: a fixed sample of customers and the centroids."""

from __future__ import annotations

from segmentation_report import charts
from segmentation_report.elements import (
    Section,
    absent,
    absent_columns,
    chart,
    pct,
)
from segmentation_report.marts import MartReader

MAP_SAMPLE_SIZE = 4000


def segment_map(reader: MartReader) -> Section:
    section = Section(
        "segment-map",
        "Segment map",
        "Every customer placed on the two principal axes of the standardized features "
        "(diamonds are the segment centres). Customers close together behave alike.",
        sources=["customer_segments", "segment_centroids", "segment_map_loadings"],
    )
    if absent(
        section,
        ["customer_segments", "segment_centroids"],
        reader,
        "The segmentation model is not built.",
    ):
        return section
    if absent_columns(
        section,
        "customer_segments",
        ["pca_x", "pca_y"],
        reader,
        "customer_segments has no map position in this build.",
    ):
        return section
    if absent_columns(
        section,
        "segment_centroids",
        ["centroid_pca_x", "centroid_pca_y"],
        reader,
        "segment_centroids has no map position in this build.",
    ):
        return section
    total = reader.rows("select count(*) as n from {schema}.customer_segments")[0]["n"]
    # the segment of its own for customers without a feature family the model uses has
    # no map position: K-Means never placed them (no imputed straight line on the map)
    unplaced = reader.rows(
        "select segment_id, segment_name, count(*) as n from {schema}.customer_segments "
        "where pca_x is null or pca_y is null group by all order by segment_id"
    )
    placed = total - sum(row["n"] for row in unplaced)
    # deterministic sample: the customers with the smallest hash of their id
    points = reader.rows(
        "select pca_x, pca_y, segment_id from {schema}.customer_segments "
        "where pca_x is not null and pca_y is not null "
        "order by hash(customer_id), customer_id limit ?",
        [MAP_SAMPLE_SIZE],
    )
    centroids = reader.rows(
        "select distinct segment_id, segment_name, centroid_pca_x, centroid_pca_y "
        "from {schema}.segment_centroids order by segment_id"
    )
    index = {c["segment_id"]: i for i, c in enumerate(centroids)}
    names = [f"{c['segment_id']}. {c['segment_name']}" for c in centroids]
    x_label, y_label = "map axis 1", "map axis 2"
    if reader.has("segment_map_loadings"):
        variance = {
            r["map_axis"]: r["explained_variance_ratio"]
            for r in reader.rows(
                "select distinct map_axis, explained_variance_ratio "
                "from {schema}.segment_map_loadings"
            )
        }
        x_label = f"map axis 1 ({pct(variance.get('x'), 0)} of variance)"
        y_label = f"map axis 2 ({pct(variance.get('y'), 0)} of variance)"
        loadings = reader.rows(
            "select map_axis, feature_name, loading from {schema}.segment_map_loadings "
            "qualify row_number() over (partition by map_axis order by abs(loading) desc) <= 3 "
            "order by map_axis, abs(loading) desc"
        )
        for axis in ("x", "y"):
            top = [
                f"{r['feature_name']} ({r['loading']:+.2f})"
                for r in loadings
                if r["map_axis"] == axis
            ]
            section.notes.append(
                f"Axis {1 if axis == 'x' else 2} is driven most by " + ", ".join(top) + "."
            )
    svg = charts.scatter_chart(
        [(p["pca_x"], p["pca_y"], index[p["segment_id"]]) for p in points],
        names,
        [(c["centroid_pca_x"], c["centroid_pca_y"], index[c["segment_id"]]) for c in centroids],
        title="Segment map",
        x_label=x_label,
        y_label=y_label,
    )
    shown = (
        f"all {placed:,} customers the model scores"
        if len(points) == placed
        else f"a fixed sample of {len(points):,} of the {placed:,} customers the model scores "
        "(smallest hash of id)"
    )
    if unplaced:
        left_out = "; ".join(f"{row['n']:,} in {row['segment_name']}" for row in unplaced)
        shown += (
            f" Not on the map: {left_out}, customers without a feature family the model uses"
            ", who are a segment of their own and are not placed on imputed values"
        )
        section.notes.append(
            f"Customers without a feature family the model uses are not on the map ({left_out}): "
            "the model neither fits nor scores them, so no point of the map stands for "
            "imputed values of a whole family."
        )
    section.charts.append(
        chart(
            svg,
            f"Segment map: {shown}.",
            "customer_segments.pca_x, pca_y; segment_centroids.centroid_pca_x, centroid_pca_y",
            wide=True,
        )
    )
    return section
