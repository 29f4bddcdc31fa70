"""Every customer's three reason codes under the registered propensity model, computed
from its rows (ml_propensity_model) on the design SQL scores (int_propensity_design):
nothing is fitted, in score mode or retrain."""

from customer_segmentation.frames import fetch_rows, read_frame
from customer_segmentation.propensity.data import KEY
from customer_segmentation.propensity.registered import registered_reason_codes


def model(dbt, session):
    dbt.config(materialized="table")
    design = dbt.ref("int_propensity_design")
    return registered_reason_codes(
        fetch_rows(design, order_by=KEY),
        read_frame(dbt.ref("ml_propensity_model")),
    )
