"""A small, safe expression language for rule criteria, with three-valued logic.

A criterion such as ``prior_count('chiropractic') == 0 and request.quantity <= 12`` is parsed with
Python's grammar but evaluated by this walker alone: only names, attributes, constants, comparisons,
arithmetic, boolean logic, membership, lists and whitelisted calls. ``None`` means "not documented"
and propagates: a comparison with None is None, ``None and False`` is False, ``None or True`` is True.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_, ast.IsNot: operator.is_not,
}
_ARITH: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
}
_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare,
            ast.BinOp, ast.Name, ast.Load, ast.Attribute, ast.Constant, ast.Call, ast.List, ast.Tuple,
            ast.keyword, ast.IfExp, *_COMPARE, *_ARITH)


class ExpressionError(ValueError):
    """A criterion expression that uses something the language does not allow."""


@lru_cache(maxsize=4096)
def compile_expression(source: str) -> ast.Expression:
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"cannot parse {source!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and not isinstance(node.func, ast.Name):
            raise ExpressionError(f"{source!r}: only named functions may be called")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"{source!r}: private attribute {node.attr!r}")
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{source!r}: {type(node).__name__} is not allowed in a criterion")
    return tree


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    return _eval(compile_expression(source).body, names)


def names_used(source: str) -> set[str]:
    return set(_names_used(source))


# the rules ask these of the same few hundred expressions for every item: walk each tree once
@lru_cache(maxsize=4096)
def _names_used(source: str) -> frozenset[str]:
    return frozenset(n.id for n in ast.walk(compile_expression(source)) if isinstance(n, ast.Name))


def _eval(node: ast.AST, names: Mapping[str, Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise ExpressionError(f"unknown name {node.id!r}")
        return names[node.id]
    if isinstance(node, ast.Attribute):
        base = _eval(node.value, names)
        if base is None:
            return None
        if isinstance(base, Mapping):
            return base.get(node.attr)
        return getattr(base, node.attr, None)
    if isinstance(node, ast.BoolOp):
        values = [_eval(v, names) for v in node.values]
        if isinstance(node.op, ast.And):
            if any(v is False for v in values):
                return False
            return None if any(v is None for v in values) else all(bool(v) for v in values)
        if any(v is not None and bool(v) for v in values):
            return True
        return None if any(v is None for v in values) else False
    if isinstance(node, ast.UnaryOp):
        value = _eval(node.operand, names)
        if value is None:
            return None
        return (not value) if isinstance(node.op, ast.Not) else -value
    if isinstance(node, ast.Compare):
        left = _eval(node.left, names)
        result: bool | None = True
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, names)
            # `x is None` asks whether x is documented; every other comparison with None is undocumented
            if (left is None or right is None) and not isinstance(op, ast.Is | ast.IsNot):
                return None
            if not _COMPARE[type(op)](left, right):
                result = False
            left = right
        return result
    if isinstance(node, ast.BinOp):
        left, right = _eval(node.left, names), _eval(node.right, names)
        if left is None or right is None:
            return None
        return _ARITH[type(node.op)](left, right)
    if isinstance(node, ast.IfExp):
        test = _eval(node.test, names)
        if test is None:
            return None
        return _eval(node.body if test else node.orelse, names)
    if isinstance(node, ast.List | ast.Tuple):
        return [_eval(e, names) for e in node.elts]
    if isinstance(node, ast.Call):
        assert isinstance(node.func, ast.Name)
        fn = names.get(node.func.id)
        if not callable(fn):
            raise ExpressionError(f"unknown function {node.func.id!r}")
        args = [_eval(a, names) for a in node.args]
        kwargs = {k.arg: _eval(k.value, names) for k in node.keywords if k.arg}
        return fn(*args, **kwargs)
    raise ExpressionError(f"{type(node).__name__} is not allowed")


def constant_calls(source: str, functions: tuple[str, ...]) -> list[tuple[str, Any]]:
    """(function, first argument) of every call to one of `functions` whose first argument is a constant."""
    return list(_constant_calls(source, functions))


@lru_cache(maxsize=4096)
def _constant_calls(source: str, functions: tuple[str, ...]) -> tuple[tuple[str, Any], ...]:
    return tuple((node.func.id, node.args[0].value) for node in ast.walk(compile_expression(source))
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in functions
                 and node.args and isinstance(node.args[0], ast.Constant))
