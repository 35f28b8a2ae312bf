"""The Jinja2 sandbox layout templates run in, hardened against exhausting the machine.

Jinja2's ``ImmutableSandboxedEnvironment`` already blocks attribute tricks (``__class__``,
``mro``…), mutation of data and ranges over 100,000 items. A layout is untrusted code, so this
subclass also refuses what would allocate gigabytes or hang in one C call — ``10 ** 10 ** 10``,
``"x" * 10 ** 9``, ``"%999999999d"``, ``"{:>999999999}"``, ``"x".center(10 ** 9)``,
``"x" | center(10 ** 9)`` — and drops ``lipsum``. Loops and recursion are stopped by the time
limit around rendering (``infographic/limits.py``), output size by :data:`MAX_SVG_BYTES`.
"""

from __future__ import annotations

import operator
import re
from typing import Any, Callable

import os

from jinja2 import FileSystemLoader, pass_environment
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.filters import do_center, do_format, do_indent
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from .. import limits
from ..paths import resolve_inside

_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
_SEQUENCE_TYPES = (str, list, tuple, bytes, Markup)
_PADDING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs", "indent"}


def _too_long(length: int) -> SecurityError:
    return SecurityError(f"a template may build strings and lists of at most "
                         f"{limits.MAX_TEMPLATE_SEQUENCE:,} items, not {length:,}")


def _check_width(value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and \
            abs(value) > limits.MAX_TEMPLATE_SEQUENCE:
        raise _too_long(abs(value))


def _check_percent_format(text: str) -> None:
    for match in _PERCENT_FIELD.finditer(text):
        for part in match.groups():
            if part == "*":
                raise SecurityError("'*' widths in % formatting are not allowed in templates")
            if part:
                _check_width(int(part))


def _check_brace_format(text: str) -> None:
    for match in _BRACE_FIELD.finditer(text):
        field = match.group()
        if field.count("{") > 1:
            raise SecurityError("nested fields in str.format are not allowed in templates")
        for number in re.findall(r"\d+", field.partition(":")[2]):
            _check_width(int(number))


def _safe_multiply(left: Any, right: Any) -> Any:
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, _SEQUENCE_TYPES) and isinstance(count, int):
            if len(sequence) * count > limits.MAX_TEMPLATE_SEQUENCE:
                raise _too_long(len(sequence) * count)
    return operator.mul(left, right)


def _safe_power(left: Any, right: Any) -> Any:
    if isinstance(right, (int, float)) and abs(right) > limits.MAX_TEMPLATE_EXPONENT and \
            isinstance(left, (int, float)) and abs(left) not in (0, 1):
        raise SecurityError(f"exponents above {limits.MAX_TEMPLATE_EXPONENT} are not allowed "
                            "in templates")
    return operator.pow(left, right)


def _safe_modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _check_percent_format(left)
    return operator.mod(left, right)


def _checked_filter(function: Callable[..., Any], *, environment: bool = False
                    ) -> Callable[..., Any]:
    def check(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        for value in (*args, *kwargs.values()):
            _check_width(value)
            if isinstance(value, str) and function is do_format:
                _check_percent_format(value)

    if environment:
        @pass_environment
        def with_environment(env: Any, value: Any, *args: Any, **kwargs: Any) -> Any:
            check((value, *args), kwargs)
            return function(env, value, *args, **kwargs)
        return with_environment

    def plain(value: Any, *args: Any, **kwargs: Any) -> Any:
        check((value, *args), kwargs)
        return function(value, *args, **kwargs)
    return plain


class FolderLoader(FileSystemLoader):
    """Loads templates from one layout folder only: ``../`` and symlinks that lead out of the
    folder are "not found" (Jinja2's own loader follows symlinks anywhere)."""

    def __init__(self, folder: "str | os.PathLike[str]") -> None:
        super().__init__(str(folder), followlinks=False)
        self.root = os.path.realpath(folder)

    def get_source(self, environment: Any, template: str) -> Any:
        source, filename, uptodate = super().get_source(environment, template)
        if resolve_inside(self.root, filename) is None:
            raise TemplateNotFound(template, f"'{template}' leads outside the layout folder")
        return source, filename, uptodate


class LayoutSandbox(ImmutableSandboxedEnvironment):
    """Jinja2's immutable sandbox plus limits on what one expression may allocate."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        self.filters["center"] = _checked_filter(do_center)
        self.filters["indent"] = _checked_filter(do_indent)
        self.filters["format"] = _checked_filter(do_format)

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "*":
            return _safe_multiply(left, right)
        if operator_name == "**":
            return _safe_power(left, right)
        if operator_name == "%":
            return _safe_modulo(left, right)
        return super().call_binop(context, operator_name, left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str) and getattr(__obj, "__name__", "") in _PADDING_METHODS:
            for value in (*args, *kwargs.values()):
                _check_width(value)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None:
            _check_brace_format(value.__self__)
        return wrapped
