"""Reviewer registry: the typed Reviewer and its import / export as CSV or JSON.

A CSV row keeps list fields in one cell separated by ";" and affiliations as "kind:name" pairs, so a
spreadsheet can round-trip the registry without losing anything.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from openimr.errors import InputError

AffiliationKind = Literal["employer", "insurer", "claims_administrator", "provider", "facility", "manufacturer"]
# Degrees of reviewers who are physicians: an Upheld outcome (a denial) needs a physician's signature.
PHYSICIAN_DEGREES = frozenset({"MD", "DO"})


class Affiliation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: AffiliationKind
    name: str

    @field_validator("name")
    @classmethod
    def _not_empty(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an affiliation needs a name")
        return value.strip()


class Reviewer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # the widths of the reviewers table's columns (openimr.db.models)
    id: str = Field(max_length=64)
    name: str = Field(max_length=200)
    # no default: the degree decides who may sign a denial, so a missing one must not pass as an MD
    degree: str
    licensure_states: list[str] = Field(default_factory=list)
    board_certifications: list[str] = Field(default_factory=list)
    specialties: list[str] = Field(default_factory=list)
    years_in_practice: float = 0
    weekly_clinical_hours: float = 0
    affiliations: list[Affiliation] = Field(default_factory=list)
    capacity: int = Field(default=10, ge=0)
    available: bool = True

    @field_validator("id", "name", "degree")
    @classmethod
    def _required_text(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @property
    def is_physician(self) -> bool:
        return self.degree.strip().upper().replace(".", "") in PHYSICIAN_DEGREES

    def credentials(self) -> dict[str, list[str]]:
        """What a letter prints about the reviewer: licensure and specialty, never the name."""
        return {"licensure": list(self.licensure_states),
                "specialty": list(self.board_certifications or self.specialties)}


CSV_FIELDS = ["id", "name", "degree", "licensure_states", "board_certifications", "specialties",
              "years_in_practice", "weekly_clinical_hours", "affiliations", "capacity", "available"]
_LIST_FIELDS = {"licensure_states", "board_certifications", "specialties"}


def reviewer_from_mapping(data: Any, where: str) -> Reviewer:
    if not isinstance(data, dict):
        raise InputError(f"{where}: a reviewer must be an object, not {type(data).__name__}")
    try:
        return Reviewer.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"]) or "reviewer"
        msg = "is required but missing" if err["type"] == "missing" else err["msg"].removeprefix("Value error, ")
        raise InputError(f"{where}: field '{loc}' {msg}") from None


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split(";") if part.strip()]


def _row_to_mapping(row: dict[str, str], where: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key is None:  # csv.DictReader files cells beyond the header under None
            raise InputError(f"{where}: more cells than the header has columns")
        if key not in CSV_FIELDS:
            raise InputError(f"{where}: unknown column {key!r} (known: {', '.join(CSV_FIELDS)})")
        value = (value or "").strip()
        if key in _LIST_FIELDS:
            out[key] = _split(value)
        elif key == "affiliations":
            affs = []
            for pair in _split(value):
                kind, sep, name = pair.partition(":")
                if not sep:
                    raise InputError(f"{where}: affiliation {pair!r} must be written kind:name")
                affs.append({"kind": kind.strip(), "name": name.strip()})
            out[key] = affs
        elif key == "available":
            if value.lower() not in {"", "true", "false", "yes", "no", "1", "0"}:
                raise InputError(f"{where}: column 'available' must be true or false, not {value!r}")
            out[key] = value.lower() in {"", "true", "yes", "1"}
        elif value != "":
            out[key] = value
    return out


def parse_registry(text: str, fmt: str, where: str = "registry") -> list[Reviewer]:
    """Reviewers from CSV or JSON text; ids must be unique."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except RecursionError:
            raise InputError(f"{where}: nested too deeply to be a registry") from None
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
        if isinstance(data, dict) and "reviewers" in data:
            data = data["reviewers"]
        if not isinstance(data, list):
            raise InputError(f"{where}: expected a list of reviewers")
        reviewers = [reviewer_from_mapping(item, f"{where}: reviewer {i + 1}") for i, item in enumerate(data)]
    elif fmt == "csv":
        # line 1 is the header, so the first reviewer is on line 2
        rows = ((f"{where}: line {n}", row) for n, row in enumerate(csv.DictReader(io.StringIO(text)), start=2))
        try:
            reviewers = [reviewer_from_mapping(_row_to_mapping(row, at), at) for at, row in rows]
        except csv.Error as exc:  # a NUL byte, a cell beyond the csv module's size limit
            raise InputError(f"{where}: not a readable CSV file ({exc})") from None
    else:
        raise InputError(f"{where}: unknown registry format {fmt!r} (csv or json)")
    seen: set[str] = set()
    for r in reviewers:
        if r.id in seen:
            raise InputError(f"{where}: reviewer id {r.id!r} appears twice")
        seen.add(r.id)
    return reviewers


def registry_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in {".csv", ".json"}:
        return suffix[1:]
    raise InputError(f"{path}: a registry file ends in .csv or .json")


def load_registry(path: str | Path) -> list[Reviewer]:
    from openimr.intake.documents import read_utf8  # the one reader that names what is wrong with a file

    p = Path(path)
    fmt = registry_format(p)
    return parse_registry(read_utf8(p, "registry file"), fmt, str(p))


def dump_registry(reviewers: list[Reviewer], fmt: str) -> str:
    if fmt == "json":
        return json.dumps([r.model_dump(mode="json") for r in reviewers], indent=2) + "\n"
    if fmt != "csv":
        raise InputError(f"unknown registry format {fmt!r} (csv or json)")
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in reviewers:
        row: dict[str, Any] = r.model_dump(mode="json")
        for key in _LIST_FIELDS:
            row[key] = "; ".join(row[key])
        row["affiliations"] = "; ".join(f"{a.kind}:{a.name}" for a in r.affiliations)
        row["available"] = "true" if r.available else "false"
        writer.writerow(row)
    return buf.getvalue()
