"""The dbt Python models stay thin, and dbt sees every ref and config key they use.

dbt finds a Python model's dependencies and the config keys it is passed by reading
the file's syntax tree (``PythonParseVisitor``), and it does not look everywhere: a
``dbt.config.get("meta") or {}`` passed as an argument is not seen, and the model then
gets no meta at all. Each model is checked with dbt's own visitor.
"""

from __future__ import annotations

import ast
import re

import pytest
from dbt.parser.models import PythonParseVisitor
from dbt_runner import PROJECT_DIR

MODELS = sorted((PROJECT_DIR / "python_models" / "fits").rglob("*.py"))


def dbt_calls(source: str) -> list[tuple[str, list]]:
    visitor = PythonParseVisitor(None)
    visitor.visit(ast.parse(source))
    return [(name, args) for name, args, _ in visitor.dbt_function_calls]


@pytest.mark.parametrize("path", MODELS, ids=lambda path: path.stem)
def test_dbt_sees_every_ref_and_config_key_of_the_model(path) -> None:
    source = path.read_text()
    calls = dbt_calls(source)
    refs = sorted(re.findall(r'dbt\.ref\("([^"]+)"\)', source))
    assert sorted(args[0] for name, args in calls if name == "ref") == refs
    keys = sorted(re.findall(r'dbt\.config\.get\("([^"]+)"\)', source))
    assert sorted(args[0] for name, args in calls if name == "get") == keys


@pytest.mark.parametrize("path", MODELS, ids=lambda path: path.stem)
def test_the_model_is_a_few_lines(path) -> None:
    assert len(path.read_text().splitlines()) <= 40
