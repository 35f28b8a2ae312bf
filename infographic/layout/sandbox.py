"""The Jinja2 sandbox layout templates run in, hardened against exhausting the machine.

Jinja2's ``ImmutableSandboxedEnvironment`` already blocks attribute tricks (``__class__``,
``mro``…), mutation of data and ranges over 100,000 items. A layout is untrusted code, so this
subclass also refuses — *before* computing it — anything that would allocate gigabytes or hang in
one C call, whichever operator, filter or ``str`` method asks for it:

- integers by bit length (``10 ** 1000 ** 1000``, ``a * a`` on huge numbers), see
  :data:`~infographic.limits.MAX_TEMPLATE_INT_BITS`;
- strings and lists by length (``~``, ``+``, ``*``, ``join``, ``replace``, ``format``, ``%``,
  padding widths, ``{% set %}`` blocks and macro output), see
  :data:`~infographic.limits.MAX_TEMPLATE_SEQUENCE`. A list counts the text of everything it
  holds, so ``[s, s, s]`` of a long ``s`` is as long as the text it prints as.

It also drops ``lipsum`` and ``urlize``. Loops and recursion are stopped by the time limit around
rendering (``infographic/limits.py``), output size by :data:`MAX_SVG_BYTES`.
"""

from __future__ import annotations

import functools
import operator
import os
import re
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Callable, Iterable, Iterator, Mapping

from jinja2 import FileSystemLoader
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError, TemplateNotFound
from jinja2.nodes import BinExpr, Concat
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Namespace

from .. import limits
from ..paths import resolve_inside

#: Bumped whenever the generated template code changes, so that no compiled template from an older
#: sandbox is loaded from the bytecode cache (see ``template.py``).
SANDBOX_VERSION = 3

_PERCENT_FIELD = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
_BRACE_FIELD = re.compile(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}")
_PADDING_METHODS = {"center", "ljust", "rjust", "zfill"}
_DROPPED_FILTERS = ("urlize",)  # adds attributes per link: output not boundable, no use in SVG
#: Escaping (``&`` → ``&amp;``) and JSON (``\\u0000``) make text this many times longer at most.
_EXPANSION = 6


class TemplateLimitError(SecurityError):
    """A template asked to build a value beyond a size limit (reported as a LimitError)."""


def _too_long(length: int, limit: int | None = None) -> SecurityError:
    limit = limits.MAX_TEMPLATE_SEQUENCE if limit is None else limit
    # ``length`` may be where counting stopped (see :func:`weight`): "at least"
    return TemplateLimitError(f"a template may build strings and lists of at most {limit:,} "
                              f"characters or items; this one would have at least {length:,}")


def _too_big(bits: int) -> SecurityError:
    return TemplateLimitError(f"a template may compute integers of at most "
                              f"{limits.MAX_TEMPLATE_INT_BITS:,} bits (about "
                              f"{limits.MAX_TEMPLATE_INT_BITS * 3 // 10:,} digits), not {bits:,}")


def weight(value: Any, budget: int) -> int:
    """How long ``value`` is as text: strings by length, numbers by digits, containers by what they
    hold (each time it is held: ``[s, s]`` counts ``s`` twice). Counting stops once past
    ``budget``, so a structure that refers to itself or is astronomically large costs at most
    ``budget`` steps."""
    if isinstance(value, str):  # the common cases first: no stack to build
        return len(value)
    if isinstance(value, float) or value is None:
        return 1
    total, stack = 0, [value]
    while stack and total <= budget:
        item = stack.pop()
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 1
        elif isinstance(item, int):
            total += item.bit_length() * 3 // 10 + 1
        elif isinstance(item, range):
            total += 2 + 8 * len(item)
        elif isinstance(item, (dict, Namespace)):
            mapping = object.__getattribute__(item, "_Namespace__attrs") \
                if isinstance(item, Namespace) else item
            total += 2 + len(mapping)
            stack.extend(mapping.keys())
            stack.extend(mapping.values())
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + len(item)
            stack.extend(item)
        else:
            total += 1
    return total


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


def _materialised(value: Any) -> Any:
    """Iterators (``map``, ``select``…) as lists, so that their length can be counted."""
    if isinstance(value, (str, bytes, Mapping)) or hasattr(value, "__len__") or \
            not hasattr(value, "__iter__"):
        return value
    return list(value)


class _Bounds:
    """The checks, for one limit on built text (``limit``)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def measure(self, value: Any) -> int:
        return weight(value, self.limit)

    def require(self, length: int) -> None:
        if length > self.limit:
            raise _too_long(length, self.limit)

    def values(self, values: Iterable[Any]) -> None:
        """Every value is within the limit on its own."""
        for value in values:
            self.require(self.measure(value))

    def total(self, values: Iterable[Any]) -> None:
        """The values together are within the limit (they are about to be joined)."""
        total = 0
        for value in values:
            total += self.measure(value)
            self.require(total)

    def formatted(self, template: str, args: Iterable[Any]) -> None:
        """``template`` filled in by ``args`` (``%`` or ``str.format``): each field may repeat
        the longest argument (``'%(a)s%(a)s'``, ``'{0}{0}'``)."""
        longest = max((self.measure(a) for a in args), default=0)
        fields = template.count("%") + template.count("{")
        self.require(len(template) + fields * longest)


def _spread(args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> list[Any]:
    """The arguments of ``value % args`` or ``format``: a tuple's items, a mapping's values."""
    values: list[Any] = list(kwargs.values())
    for arg in args:
        if isinstance(arg, tuple):
            values.extend(arg)
        elif isinstance(arg, Mapping):
            values.extend(arg.values())
        else:
            values.append(arg)
    return values


# --- filters that build more text than they are given, with what they may build ----------------

def _join_size(b: _Bounds, value: Any, d: Any = "", attribute: Any = None) -> None:
    items = value if isinstance(value, (list, tuple)) else [value]
    b.require(b.measure(value) + max(len(items) - 1, 0) * b.measure(d))


def _replace_size(b: _Bounds, s: Any, old: Any = "", new: Any = "", count: Any = None) -> None:
    text, old, new = str(s), str(old), str(new)
    found = text.count(old) if old else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    b.require(len(text) + found * max(len(new) - len(old), 0))


def _indent_size(b: _Bounds, s: Any, width: Any = 4, first: Any = False, blank: Any = False
                 ) -> None:
    text = str(s)
    pad = width if isinstance(width, int) else b.measure(width)
    b.require(len(text) + (text.count("\n") + 1) * abs(pad))


def _center_size(b: _Bounds, value: Any, width: Any = 80) -> None:
    _check_width(width)


def _wordwrap_size(b: _Bounds, s: Any, width: Any = 79, break_long_words: Any = True,
                   wrapstring: Any = None, break_on_hyphens: Any = True) -> None:
    b.require(len(str(s)) * (1 + b.measure(wrapstring or "\n")))


def _truncate_size(b: _Bounds, s: Any, length: Any = 255, killwords: Any = False,
                   end: Any = "...", leeway: Any = None) -> None:
    b.require(min(len(str(s)), abs(length) if isinstance(length, int) else 0) + b.measure(end))


def _format_size(b: _Bounds, value: Any, *args: Any, **kwargs: Any) -> None:
    _check_percent_format(str(value))
    b.formatted(str(value), _spread(args, kwargs))


def _tojson_size(b: _Bounds, value: Any, indent: Any = None) -> None:
    if isinstance(indent, str) or (isinstance(indent, int) and abs(indent) > 16):
        raise TemplateLimitError("tojson(indent=…) takes a number of spaces up to 16 in "
                                 "templates")


def _count_size(b: _Bounds, value: Any, count: Any = 1, fill_with: Any = None) -> None:
    """``batch`` and ``slice``: the number of groups they make."""
    _check_width(count)


_FILTER_SIZES: dict[str, Callable[..., None]] = {
    "join": _join_size, "replace": _replace_size, "indent": _indent_size,
    "center": _center_size, "wordwrap": _wordwrap_size, "truncate": _truncate_size,
    "format": _format_size, "tojson": _tojson_size, "batch": _count_size, "slice": _count_size,
}


#: Filters that only pick, count, order or compare what they are given (or apply other filters,
#: which are checked themselves): nothing to bound, and ``min``/``max``/``length`` are everywhere.
_SELECTING_FILTERS = frozenset({
    "abs", "attr", "count", "d", "default", "dictsort", "first", "float", "groupby", "int",
    "items", "last", "length", "list", "map", "max", "min", "random", "reject", "rejectattr",
    "reverse", "round", "select", "selectattr", "sort", "unique", "wordcount"})
_NUMBERS = (int, float)  # bounded where they are made (``*``, ``**``)
_SCALARS = (str, int, float)


def _bounded_filter(name: str, function: Callable[..., Any], bounds: _Bounds
                    ) -> Callable[..., Any]:
    """``function`` as a filter that first checks its arguments (and, for the filters in
    :data:`_FILTER_SIZES`, what it will build). Jinja's ``pass_context``-style marks are kept."""
    passes = hasattr(function, "jinja_pass_arg")
    size = _FILTER_SIZES.get(name)

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        head, values = (args[:1], args[1:]) if passes else ((), args)
        if not all(isinstance(v, _SCALARS) for v in values):
            values = tuple(_materialised(v) for v in values)
        bounds.values(v for v in (*values, *kwargs.values()) if not isinstance(v, _NUMBERS))
        if size is not None:
            size(bounds, *values, **kwargs)
        return function(*head, *values, **kwargs)
    return checked


# --- ``str`` methods that build more text than they are given -----------------------------------

def _check_str_method(b: _Bounds, text: str, name: str, args: tuple[Any, ...],
                      kwargs: Mapping[str, Any]) -> tuple[Any, ...]:
    if name in _PADDING_METHODS:
        for value in (*args, *kwargs.values()):
            _check_width(value)
    elif name == "expandtabs":
        size = (args or (kwargs.get("tabsize", 8),))[0]
        b.require(len(text) + text.count("\t") * (abs(size) if isinstance(size, int) else 0))
    elif name == "join" and args:
        items = _materialised(args[0])
        b.require(b.measure(items) + max(len(items) - 1, 0) * len(text))
        return (items, *args[1:])
    elif name == "replace":
        _replace_size(b, text, *args, **kwargs)
    elif name == "translate" and args:
        table = args[0]
        longest = max((b.measure(v) for v in table.values()), default=1) \
            if isinstance(table, Mapping) else 1
        b.require(len(text) * max(longest, 1))
    return args


#: Characters printed by ``{{ … }}`` so far in the running template, and the most it may print.
#: A block (``{% set %}…{% endset %}``, a macro) collects its escaped copies before the bounded
#: ``concat`` sees them, so without this 1,000 prints of a 1 MB string cost 1 GB first.
_PRINTED: ContextVar[list[int] | None] = ContextVar("printed", default=None)


@contextmanager
def print_budget(limit: int) -> Iterator[None]:
    """Bound what the templates run inside the ``with`` may print in all (blocks, macros and
    text they later throw away included)."""
    token = _PRINTED.set([0, limit])
    try:
        yield
    finally:
        _PRINTED.reset(token)


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles ``a ~ b`` to a call that checks the joined length first (Jinja joins the parts
    in one C call otherwise, whatever their size), and ``a + b``, ``a * b`` straight to the
    checking methods (templates add and multiply coordinates all the time: one call, not three
    through ``call_binop``). The operators stay in ``intercepted_binops`` so that Jinja never
    folds a constant ``'x' * 1000000000`` at compile time."""

    @optimizeconst
    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        self.write("environment.concat_values(context, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")

    def _checked_binop(self, method: str, node: BinExpr, frame: Frame) -> None:
        self.write(f"environment.{method}(")
        self.visit(node.left, frame)
        self.write(", ")
        self.visit(node.right, frame)
        self.write(")")

    @optimizeconst
    def visit_Add(self, node: BinExpr, frame: Frame) -> None:
        self._checked_binop("checked_add", node, frame)

    @optimizeconst
    def visit_Mul(self, node: BinExpr, frame: Frame) -> None:
        self._checked_binop("checked_multiply", node, frame)


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
    """Jinja2's immutable sandbox plus limits on what one expression may allocate.

    ``filters`` are added to Jinja's own and checked the same way. ``max_block`` bounds the text
    of one ``{% set %}`` block, ``{% filter %}`` block or macro call (default: the SVG limit).
    """

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = _BoundedCodeGenerator

    def __init__(self, *args: Any, filters: Mapping[str, Callable[..., Any]] | None = None,
                 max_block: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        self.bounds = _Bounds(limits.MAX_TEMPLATE_SEQUENCE)
        self.max_block = limits.MAX_SVG_BYTES if max_block is None else max_block
        merged = {**self.filters, **(filters or {})}
        for name in _DROPPED_FILTERS:
            merged.pop(name, None)
        self.filters = {name: function if name in _SELECTING_FILTERS
                        else _bounded_filter(name, function, self.bounds)
                        for name, function in merged.items()}
        self.finalize = self._finalize_output

    # -- what the generated code calls -------------------------------------------------------

    def concat(self, parts: Iterable[str]) -> str:  # type: ignore[override]
        """Join a block's output (``{% set %}…{% endset %}``, a macro, ``{% filter %}``)."""
        parts = list(parts)
        total = 0
        for part in parts:
            total += len(part)
            if total > self.max_block:
                raise _too_long(total, self.max_block)
        return "".join(parts)

    def concat_values(self, context: Any, values: tuple[Any, ...]) -> str:
        """``a ~ b ~ c``: checked, then joined as Jinja would (escaped when autoescaping)."""
        self.bounds.total(values)
        return markup_join(values) if context.eval_ctx.autoescape else str_join(values)

    def _finalize_output(self, value: Any) -> Any:
        """``{{ value }}``: a list or mapping prints as text as long as everything it holds;
        all prints together stay within the running :func:`print_budget`."""
        if isinstance(value, str):
            budget = _PRINTED.get()
            if budget is not None:
                budget[0] += len(value)
                if budget[0] > budget[1]:
                    raise TemplateLimitError(
                        f"a template may print at most {budget[1]:,} characters in all (blocks "
                        f"and macros included); this one printed {budget[0]:,}")
        elif not isinstance(value, (int, float)):  # numbers: bounded where they are made
            self.bounds.require(self.bounds.measure(value))
        return value

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "+":
            return self.checked_add(left, right)
        if operator_name == "*":
            return self.checked_multiply(left, right)
        if operator_name == "**":
            return self._power(left, right)
        if operator_name == "%":
            return self._modulo(left, right)
        return super().call_binop(context, operator_name, left, right)

    def checked_add(self, left: Any, right: Any) -> Any:
        if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
            self.bounds.total((left, right))
        return left + right

    def checked_multiply(self, left: Any, right: Any) -> Any:
        if isinstance(left, float) or isinstance(right, float):  # coordinates: the usual case
            return left * right
        if _is_int(left) and _is_int(right):
            bits = left.bit_length() + right.bit_length()
            if bits > limits.MAX_TEMPLATE_INT_BITS:
                raise _too_big(bits)
        for sequence, count in ((left, right), (right, left)):
            if isinstance(sequence, (str, list, tuple, bytes)) and _is_int(count):
                _check_width(count)
                self.bounds.require(self.bounds.measure(sequence) * max(count, 0))
        return operator.mul(left, right)

    def _power(self, left: Any, right: Any) -> Any:
        if isinstance(right, (int, float)) and abs(right) > limits.MAX_TEMPLATE_EXPONENT and \
                isinstance(left, (int, float)) and abs(left) not in (0, 1):
            raise SecurityError(f"exponents above {limits.MAX_TEMPLATE_EXPONENT} are not "
                                "allowed in templates")
        if _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
            bits = left.bit_length() * right
            if bits > limits.MAX_TEMPLATE_INT_BITS:
                raise _too_big(bits)
        return operator.pow(left, right)

    def _modulo(self, left: Any, right: Any) -> Any:
        if isinstance(left, str):
            _check_percent_format(left)
            self.bounds.formatted(left, _spread((right,), {}))
        return operator.mod(left, right)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, str):
            args = _check_str_method(__self.bounds, owner, getattr(__obj, "__name__", ""),
                                     args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__
        _check_brace_format(template)
        bounds = self.bounds

        def checked(*args: Any, **kwargs: Any) -> str:
            bounds.formatted(template, _spread(args, kwargs))
            return wrapped(*args, **kwargs)
        return checked


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
