"""The candidate k: the configured range, validated, and the customers it needs."""

from __future__ import annotations

import pytest

from customer_segmentation.segmentation.k_range import (
    DEFAULT_K_MAX,
    DEFAULT_K_MIN,
    check_customer_count,
    configured_k_range,
    k_range,
)


def test_k_range_is_validated_with_the_setting_to_change() -> None:
    assert k_range(3, 5) == [3, 4, 5]
    assert k_range(4, 4) == [4]
    with pytest.raises(ValueError, match=r"k_min \(6\) is greater than k_max \(4\)"):
        k_range(6, 4)
    with pytest.raises(ValueError, match=r"k_min must be at least 2 \(.*\), got 1"):
        k_range(1, 4)
    for bad in (4.0, "8", True, None):
        with pytest.raises(ValueError, match="k_max must be a whole number"):
            k_range(3, bad)
    with pytest.raises(ValueError, match=r"k_max must be a whole number, got 4\.5"):
        k_range(3, 4.5)
    with pytest.raises(ValueError, match=r"k_min must be a whole number, got 'three' \(str\)"):
        k_range("three", 4)
    with pytest.raises(ValueError, match="var segment_k_selection"):
        k_range(0, 4)


@pytest.mark.parametrize(
    ("customers", "k_values", "message"),
    [
        (
            12,
            [3, 20],
            "at least 21 customers for k = 3..20 (one more than the largest k), "
            "and int_customer_features has 12: set k_max to at most 11 in var segment_k_selection",
        ),
        (
            4,
            [5, 6],
            "at least 7 customers for k = 5..6 (one more than the largest k), and "
            "int_customer_features has 4: set k_min and k_max to at most 3",
        ),
        (
            2,
            [3, 10],
            "at least 11 customers for k = 3..10 (one more than the largest k), and "
            "int_customer_features has 2: no k range can segment 2 (k = 2 needs 3)",
        ),
        (
            1,
            [2],
            "at least 3 customers for k = 2 (one more than the largest k), and "
            "int_customer_features has 1: no k range can segment 1",
        ),
    ],
    ids=["k_max_too_large", "whole_range_too_large", "two_customers", "one_customer"],
)
def test_too_few_customers_say_how_many_segmentation_needs(
    customers: int, k_values: list[int], message: str
) -> None:
    with pytest.raises(ValueError) as raised:
        check_customer_count(customers, k_values)
    assert message in str(raised.value)
    check_customer_count(max(k_values) + 1, k_values)  # one more than the largest k is enough


def test_configured_k_range_falls_back_to_the_shipped_range() -> None:
    import yaml
    from dbt_runner import PROJECT_DIR

    spec = yaml.safe_load(
        (
            PROJECT_DIR / "python_models" / "fits" / "segmentation" / "ml_segment_model_selection.yml"
        ).read_text()
    )
    shipped = spec["models"][0]["config"]["meta"]["k_selection"]
    assert (shipped["k_min"], shipped["k_max"]) == (DEFAULT_K_MIN, DEFAULT_K_MAX)
    assert configured_k_range({}) == list(range(DEFAULT_K_MIN, DEFAULT_K_MAX + 1))
    assert configured_k_range({"k_max": 5, "rule": "fixed"}) == [3, 4, 5]
    with pytest.raises(ValueError, match="k_max must be a whole number"):
        configured_k_range({"k_max": 4.5})
