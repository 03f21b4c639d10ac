"""JSON Schemas of the data files, for editors that check YAML as you type.

Generated from the same Pydantic models that validate the data, then told what an editor needs
to agree with docgen: amounts and percentages are numbers, or text of digits with at most two
decimals (so "1,200,000.00" and "15%" are underlined, as docgen refuses them); time limits are
text such as "2h"; every field has its Chinese name as its title. The CSV exports get a schema
too, one property per column, which documents the columns (an editor does not check CSV).
"""

from __future__ import annotations

from typing import Any

from pydantic import create_model

from .changes import LABELS
from .validate import SOURCES

AMOUNT_TEXT = r"^\s*\d+(\.\d{1,2})?\s*$"


def _amount(node: dict[str, Any]) -> dict[str, Any]:
    """Pydantic's Decimal schema (number or any string, with its own `ge`/`decimal_places` keys)
    as JSON Schema: a number in range, or digits with at most two decimals."""
    number: dict[str, Any] = {"type": "number"}
    for ours, theirs in (("ge", "minimum"), ("gt", "exclusiveMinimum"), ("le", "maximum"), ("lt", "exclusiveMaximum")):
        if ours in node:
            number[theirs] = float(node[ours])
    out = {k: v for k, v in node.items() if k not in ("anyOf", "type", "decimal_places", "max_digits", "ge", "gt",
                                                      "le", "lt", "pattern")}
    out["anyOf"] = [number, {"type": "string", "pattern": AMOUNT_TEXT}]
    return out


def _editor_ready(node: Any) -> Any:
    """Walk a schema: amounts as above, Chinese titles for the properties of every object."""
    if isinstance(node, list):
        return [_editor_ready(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "decimal_places" in node or (node.get("anyOf") == [{"type": "number"}, {"type": "string"}]):
        node = _amount(node)
    out = {k: _editor_ready(v) for k, v in node.items()}
    for name, prop in (out.get("properties") or {}).items():
        if isinstance(prop, dict) and LABELS.get(name):
            prop["title"] = LABELS[name]
    return out


def data_file_schemas() -> dict[str, Any]:
    """One JSON Schema per YAML data file, keyed by its top-level key, and one per CSV export
    (`tickets.columns`, `attendance.columns`) describing its columns."""
    out: dict[str, Any] = {}
    for source in SOURCES:
        if source.is_csv:
            out[f"{source.kind}.columns"] = _columns(source)
            continue
        body = list[source.model] if source.many else source.model  # type: ignore[name-defined]
        # one field, named after the top-level key; a dict typed by its values, which could otherwise
        # bind create_model's own keyword arguments (`__base__`, `__doc__`, ...) as far as mypy knows
        field_definitions: dict[str, Any] = {source.kind: (body, ...)}
        wrapper = create_model(f"{source.kind.title()}File", __config__=None, **field_definitions)
        schema = _editor_ready(wrapper.model_json_schema(mode="validation"))
        schema["additionalProperties"] = False
        schema["title"] = f"docgen {source.filename}"
        out[source.kind] = schema
    return out


def _columns(source: Any) -> dict[str, Any]:
    """The columns of a CSV export: name, Chinese title, whether required, what goes in."""
    model = source.model.model_json_schema(mode="validation")
    props = {}
    for name, info in source.model.model_fields.items():
        prop: dict[str, Any] = {"type": "string", "title": LABELS.get(name) or name}
        if info.description:
            prop["description"] = info.description
        props[name] = prop
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": f"docgen {source.filename}（每行一条记录，第一行为列名；也可为同名 .xlsx）",
            "type": "object", "properties": props, "required": model.get("required", []),
            "additionalProperties": False}
