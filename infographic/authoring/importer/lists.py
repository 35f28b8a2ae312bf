"""Lists: a group named ``tips`` (or ``tips[]``) holding copies of a card becomes a table
field; in each card the named texts are its columns. Each card is drawn only when the data
has that row."""

from __future__ import annotations

from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

from .drawing import element_name, local
from .marks import Mark
from .parts import PagePlan, default_max_length, field_expr, label
from .report import Match

if TYPE_CHECKING:
    from .plan import Planner

TEXT_TAGS = ("text", "flowRoot")


def texts_in(group: Element) -> int:
    return sum(1 for el in group.iter() if local(el.tag) in TEXT_TAGS)


def cards_of(group: Element, mark: Mark) -> list[Element]:
    """The card groups of a list group: at least two, or one in a group named ``NAME[]``."""
    cards = [c for c in group if local(c.tag) == "g" and texts_in(c)]
    return cards if len(cards) >= 2 or (cards and mark.kind == "list") else []


def table_field(plan: PagePlan, name: str, rows: int) -> dict:
    """The table field ``name`` of ``plan`` (made on first use), holding at least ``rows``."""
    spec = plan.fields.setdefault(name, {"type": "table", "required": True, "min_items": 1,
                                         "max_items": rows, "label": label(name),
                                         "columns": {}, "sample": []})
    spec["max_items"] = max(spec.get("max_items", 0), rows)
    return spec


def add_column(plan: PagePlan, table: str, column: str, sample: str, row: int) -> dict:
    """Column ``column`` of ``table`` (0-based ``row`` shows ``sample``); returns its spec."""
    spec = table_field(plan, table, row + 1)
    column_spec = spec["columns"].setdefault(column, {
        "type": "text", "max_length": default_max_length(column, sample),
        "label": label(column)})
    rows = spec["sample"]
    while len(rows) <= row:
        rows.append({})
    rows[row][column] = sample
    return column_spec


def plan_list(planner: "Planner", group: Element, mark: Mark) -> None:
    """Each card drawn under ``{% if tips | length > ROW %}``, its texts filled from the row."""
    cards = cards_of(group, mark)
    plan, drawing = planner.plan, planner.d
    table_field(plan, mark.field, len(cards))
    plan.matches.append(Match(drawing.path.name, plan.page.size, element_name(group),
                              drawing.describe(group), mark.field,
                              f"list '{mark.field}' of {len(cards)} cards (a table field; "
                              "cards beyond the data's rows are not drawn)"))
    for row, card in enumerate(cards):
        plan.guards[id(card)] = f"{field_expr(mark.field)} | length > {row}"
        planner.walk(card, None, (mark, row))
    for child in group:  # what the list draws besides its cards (a heading, a panel)
        if child not in cards:
            if local(child.tag) in TEXT_TAGS:
                planner.text(child, planner.marks.get(id(child)), None, None)
            else:
                planner.walk(child, None)


def card_rect(planner: "Planner", element: Element) -> Element | None:
    """The first rectangle of the list card holding ``element`` (its background): the card's
    texts grow to its edge."""
    for node in planner.d.ancestors(element):
        parent = planner.d.parent(node)
        mark = planner.marks.get(id(parent)) if parent is not None else None
        if mark is not None and mark.kind in ("list", "field"):
            return next((r for r in node.iter() if local(r.tag) == "rect"
                         and id(r) not in planner.marks), None)
    return None
