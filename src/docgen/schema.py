"""JSON Schemas of the YAML data files, for editors that check YAML as you type."""

from __future__ import annotations

from typing import Any

from pydantic import create_model

from .validate import SOURCES


def data_file_schemas() -> dict[str, Any]:
    """One JSON Schema per YAML data file, keyed by its top-level key."""
    out: dict[str, Any] = {}
    for source in SOURCES:
        if source.is_csv:
            continue
        body = list[source.model] if source.many else source.model  # type: ignore[name-defined]
        # one field, named after the top-level key; a dict typed by its values, which could otherwise
        # bind create_model's own keyword arguments (`__base__`, `__doc__`, ...) as far as mypy knows
        field_definitions: dict[str, Any] = {source.kind: (body, ...)}
        wrapper = create_model(f"{source.kind.title()}File", __config__=None, **field_definitions)
        schema = wrapper.model_json_schema(mode="validation")
        schema["additionalProperties"] = False
        schema["title"] = f"docgen {source.filename}"
        out[source.kind] = schema
    return out
