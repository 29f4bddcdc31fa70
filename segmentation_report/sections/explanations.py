"""One customer of each segment explained: why they are in it and not the runner-up."""

from __future__ import annotations

from segmentation_report.elements import Section, absent, absent_columns, num, table
from segmentation_report.marts import MartReader


def explained_customers(reader: MartReader) -> Section:
    section = Section(
        "explanations",
        "Explain one customer",
        "For the customer nearest to each segment's centre: the runner-up segment and the "
        "three features that most make their own segment nearer, each with the customer's "
        "value against the segment centre (customer_segments.explanation_*).",
        sources=["customer_segments", "segment_profiles"],
    )
    if absent(
        section,
        ["customer_segments", "segment_profiles"],
        reader,
        "The segmentation model is not built.",
    ):
        return section
    if absent_columns(
        section,
        "customer_segments",
        ["explanation_1_feature", "explanation_1_value", "explanation_1_centroid_value"],
        reader,
        "customer_segments carries no explanation in this build.",
    ):
        return section
    rows = reader.rows(
        "select customers.*, runner_up.segment_name as second_segment_name "
        "from {schema}.customer_segments as customers "
        "inner join {schema}.segment_profiles as runner_up "
        "on customers.second_segment_id = runner_up.segment_id "
        "where customers.explanation_1_feature is not null "
        "qualify row_number() over ("
        "partition by customers.segment_id order by customers.distance, customers.customer_id"
        ") = 1 order by customers.segment_id"
    )
    for row in rows:
        reasons = []
        for rank in (1, 2, 3):
            feature = row.get(f"explanation_{rank}_feature")
            if feature:
                reasons.append(
                    f"{feature} {num(row[f'explanation_{rank}_value'])} "
                    f"(segment {num(row[f'explanation_{rank}_centroid_value'])})"
                )
        row["why"] = "; ".join(reasons)
    section.tables.append(
        table(
            rows,
            [
                ("segment_name", "Segment"),
                ("customer_id", "Customer"),
                ("second_segment_name", "Runner-up"),
                ("confidence", "Confidence"),
                ("why", "Nearer because of: value (segment centre)"),
            ],
            caption="The most typical customer of each segment, explained",
            source="customer_segments",
            formats={"confidence": num},
        )
    )
    return section
