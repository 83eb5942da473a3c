"""Case files (contract v1) from JSON or YAML, validated with one clear message per problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from openimr.errors import InputError
from openimr.intake.checks import case_warnings, check_plausible
from openimr.intake.documents import document_text, read_utf8
from openimr.model import Case

# the parsers recurse once per level of nesting; no case file is nested this deep, an attack is
TOO_DEEP = "nested too deeply to be a case file"


def describe_validation_error(exc: ValidationError, where: str) -> str:
    """The first problem pydantic found, naming the field by its path in the case file."""
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "case"
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    if err["type"] == "missing":
        return f"{where}: field '{loc}' is required but missing{tail}"
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: field '{loc}': {msg}{tail}"


def case_from_mapping(data: Any, where: str = "case", base: Path | None = None) -> Case:
    """Validate a parsed case file and load the text of documents given by path."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: a case file must be a JSON or YAML object, not {type(data).__name__}")
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise InputError(describe_validation_error(exc, where)) from None
    for i, doc in enumerate(case.documents):
        if doc.text is None:
            try:
                doc.text = document_text(doc, base)
            except InputError as exc:
                raise InputError(f"{where}: documents.{i}: {exc}") from None
    return case


def parse_case_text(text: str, where: str, yaml_ok: bool = True) -> Any:
    """JSON first (it is also YAML, but JSON errors read better), YAML when allowed."""
    return _parse(text, where, yaml_ok)[0]


def _parse(text: str, where: str, yaml_ok: bool) -> tuple[Any, bool]:
    """(the parsed value, whether it was read as YAML)."""
    try:
        return json.loads(text), False
    except RecursionError:
        raise InputError(f"{where}: {TOO_DEEP}") from None
    except json.JSONDecodeError as exc:
        if not yaml_ok:
            raise InputError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        json_error = exc
    try:
        data = yaml.safe_load(text)
    except RecursionError:
        raise InputError(f"{where}: {TOO_DEEP}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{where}: neither valid JSON ({json_error.msg}) nor valid YAML{at}") from None
    if not isinstance(data, dict):
        raise InputError(f"{where}: not a JSON or YAML object (found {type(data).__name__})")
    return data, True


def read_case(path: str | Path) -> tuple[Case, list[str]]:
    """Read and validate a case file, and list its likely slips (unknown fields, an item cut by a YAML
    comment); document paths are relative to the case file's folder and must stay inside it."""
    p = Path(path)
    text = read_utf8(p, "case file")
    # a .json file must be JSON; any other name may be either
    data, as_yaml = _parse(text, str(p), yaml_ok=p.suffix.lower() != ".json")
    case = case_from_mapping(data, str(p), base=p.parent)
    check_plausible(case, str(p))
    return case, case_warnings(case, str(p), text if as_yaml else None)


def load_case(path: str | Path) -> Case:
    """read_case without the warnings."""
    return read_case(path)[0]

