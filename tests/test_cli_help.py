"""Every option and argument of every sub-command explains itself in --help."""

from __future__ import annotations

import argparse

from openimr.cli import build_parser


def _walk(parser: argparse.ArgumentParser, path: str) -> list[tuple[str, argparse.ArgumentParser]]:
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found += _walk(child, f"{path} {name}")
    return found


def test_every_option_has_help() -> None:
    missing = []
    for path, parser in _walk(build_parser(), "openimr"):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction | argparse._HelpAction):
                continue
            if not (action.help or "").strip() or action.help == argparse.SUPPRESS:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")
    assert missing == []


def test_every_sub_command_has_help() -> None:
    missing = []
    for action in [a for _, p in _walk(build_parser(), "openimr") for a in p._actions
                   if isinstance(a, argparse._SubParsersAction)]:
        described = {c.dest for c in action._choices_actions if (c.help or "").strip()}
        missing += sorted(set(action.choices) - described)
    assert missing == []


def test_every_help_page_renders() -> None:
    for path, parser in _walk(build_parser(), "openimr"):
        text = parser.format_help()  # a stray % in a help text would raise here
        assert text.startswith("usage: ") and path.split()[-1] in text
