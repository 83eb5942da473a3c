"""`openimr schema`: the JSON Schema of the case file contract, generated from the model."""

from __future__ import annotations

import argparse
import json
from typing import Any

from openimr.commands._output import write_output


def case_schema() -> dict[str, Any]:
    from openimr.model import Case

    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "openimr case file v1"
    return schema


def register(sub: Any) -> None:
    p = sub.add_parser("schema", help="print the JSON Schema of the case file (contract v1)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    text = json.dumps(case_schema(), indent=2, sort_keys=True) + "\n"
    write_output(text, args.out)
    return 0
