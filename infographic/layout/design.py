"""The design system every layout draws with: a type scale, a spacing scale and text roles.

Sizes are canvas units (px on the 1080-wide social canvas; paper is drawn on the same 1080-wide
canvas). A slot in layout.yaml declares its ``role``; the role sets the smallest size at which the
text still reads: on a phone in canvas units, on paper in points (its *floor*). Text fitted below
its floor is ``illegible`` in the fit report — a warning, an error under ``strict``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..sizes import Size

#: Type steps (canvas units): caption … hero. Templates and slots pick steps, not free numbers.
TYPE_STEPS: dict[str, int] = {"xs": 20, "sm": 24, "md": 30, "lg": 40, "xl": 56, "xxl": 80,
                              "hero": 112}
#: Spacing is 4-based: ``space(n)`` is 4 × n; the named steps cover what layouts use.
SPACE_UNIT = 4
SPACE_STEPS: dict[str, int] = {"xxs": 4, "xs": 8, "sm": 12, "md": 16, "lg": 24, "xl": 32,
                               "xxl": 48, "x3": 64, "x4": 80}

#: How much type and spacing grow on a tall canvas: 1 on square and landscape, up to 1.2 on story.
#: Every layout scales its steps by the same ``canvas.k`` (``type_scale.md * k``).
CANVAS_SCALE_EXPONENT = 0.3
CANVAS_SCALE_MAX = 1.2


def canvas_scale(width: float, height: float) -> float:
    """``canvas.k``: the one factor by which a layout scales its type and spacing steps."""
    return min(CANVAS_SCALE_MAX, max(1.0, (height / width) ** CANVAS_SCALE_EXPONENT))


#: What a text is for; the role sets its legible floor.
ROLES = ("display", "title", "body", "label", "caption")
#: Smallest legible size per role on a screen, in canvas units (px on the 1080-wide canvas).
ROLE_FLOORS: dict[str, float] = {"display": 24, "title": 24, "body": 24, "label": 24,
                                 "caption": 20}
#: On paper the floor is a printed size, in points, the same on every sheet: 12 pt for reading
#: text (the usual minimum for public print), 10 pt for a caption (a source line, an axis). On A4
#: (1080 units across 210 mm) 12 pt is 21.8 units and 10 pt 18.1; on A3 15.4 and 12.8; on A5
#: 30.9 and 25.7. The print preflight's 6 pt stays the absolute floor for every text.
PAPER_ROLE_FLOORS_PT: dict[str, float] = {"display": 12, "title": 12, "body": 12, "label": 12,
                                          "caption": 10}


#: The text slots of the shared header and footer (``page_header``, ``page_footer``). A layout may
#: restyle them by declaring a slot of the same name; its keys override these.
CHROME_SLOTS: dict[str, dict[str, Any]] = {
    "header_issuer": {"font": "heading", "weight": 700, "size": 24, "min_size": 24,
                      "max_lines": 3, "line_height": 1.2, "uppercase": True, "tracking": 0.03,
                      "color": "on_primary", "role": "label", "overflow": "error"},
    "header_date": {"font": "body", "size": 24, "min_size": 20, "max_lines": 2,
                    "line_height": 1.2, "color": "on_primary", "role": "caption",
                    "overflow": "error"},
    "header_title": {"font": "heading", "weight": 800, "size": 56, "min_size": 30,
                     "max_lines": 3, "line_height": 1.18, "color": "on_primary", "balance": True,
                     "role": "title", "overflow": "error"},
    "footer_hotline": {"font": "heading", "weight": 700, "size": 30, "min_size": 24,
                       "max_lines": 2, "line_height": 1.2, "color": "primary",
                       "background": "surface", "role": "label", "overflow": "error"},
    "footer_source": {"font": "body", "size": 20, "min_size": 20, "max_lines": 2,
                      "line_height": 1.25, "color": "muted", "background": "surface",
                      "role": "caption", "overflow": "error"},
}


def role_floor(role: str | None, size: "Size | None" = None) -> float | None:
    """The floor of ``role`` in canvas units, or None for a slot without a role. On a paper
    ``size`` it is the role's floor in points (:data:`PAPER_ROLE_FLOORS_PT`) in that sheet's
    canvas units; otherwise the screen floor (:data:`ROLE_FLOORS`)."""
    if not role:
        return None
    if size is not None and size.is_print and role in PAPER_ROLE_FLOORS_PT:
        return round(points_to_units(PAPER_ROLE_FLOORS_PT[role], size), 2)
    return ROLE_FLOORS.get(role)


def points_to_units(points: float, size: "Size") -> float:
    """A printed size in points as canvas units of the paper ``size``."""
    return points * 25.4 / 72 * size.units_per_mm  # 72 pt to the inch


def step_size(value: Any, role: str | None = None) -> Any:
    """A slot size written as a type step (``md``) or ``floor`` (the role's floor) → units.
    Numbers pass through unchanged."""
    if isinstance(value, str):
        if value == "floor":
            floor = role_floor(role)
            if floor is None:
                raise ValueError("'floor' needs the slot to declare a role "
                                 f"({', '.join(ROLES)})")
            return floor
        if value in TYPE_STEPS:
            return TYPE_STEPS[value]
        raise ValueError(f"unknown type step '{value}' (steps: "
                         + ", ".join(f"{k}={v}" for k, v in TYPE_STEPS.items()) + ", or 'floor')")
    return value


class TypeScale:
    """``type_scale`` in templates: ``type_scale.md`` (30), ``type_scale.steps`` (all sizes),
    ``type_scale.snap(41.7)`` (the largest step not above a computed size, never below 20),
    ``type_scale.up("md")`` / ``down(40)`` (the neighbouring step) and
    ``type_scale.pairs("xl", "sm")`` (a ladder of (text, heading) sizes to try, largest first)."""

    steps = tuple(TYPE_STEPS.values())

    def __getattr__(self, name: str) -> int:
        try:
            return TYPE_STEPS[name]
        except KeyError:
            raise AttributeError(name) from None

    def snap(self, size: float) -> int:
        return max((s for s in self.steps if s <= float(size) + 1e-6), default=self.steps[0])

    def _size(self, step: str | float) -> int:
        """A step given by name (``"md"``) or by its size (30) → its size; anything off the
        scale is an error (a computed size goes through :meth:`snap` first)."""
        if isinstance(step, str):
            if step in TYPE_STEPS:
                return TYPE_STEPS[step]
        elif float(step) in self.steps:
            return int(step)
        raise ValueError(f"'{step}' is not a type step (steps: "
                         + ", ".join(f"{k}={v}" for k, v in TYPE_STEPS.items()) + ")")

    def up(self, step: str | float) -> int:
        """The step above ``step`` (name or size); the largest step stays itself."""
        index = self.steps.index(self._size(step))
        return self.steps[min(index + 1, len(self.steps) - 1)]

    def down(self, step: str | float) -> int:
        """The step below ``step`` (name or size); the smallest step stays itself."""
        index = self.steps.index(self._size(step))
        return self.steps[max(index - 1, 0)]

    def pairs(self, largest: str | float, smallest: str | float, heading: str = "both",
              top: str | float | None = None) -> list[tuple[int, int]]:
        """(text, heading) sizes for a fit search that tries the largest first: the text runs
        from ``largest`` down to ``smallest``, step by step, its heading

        - ``"same"``: at the text's step (set apart by weight): 56/56, 40/40 …
        - ``"up"``: a step above the text: 56/80, 40/56 …
        - ``"both"``: a step above, then the same step, so each try is one step smaller than
          the one before: 56/56, 40/56, 40/40, 30/40 … (the heading never above ``top``,
          by default ``largest``, so the ladder opens with ``largest`` in both).

        ``pairs("xl", "sm")`` is 56/56, 40/56, 40/40, 30/40, 30/30, 24/30, 24/24."""
        if heading not in ("same", "up", "both"):
            raise ValueError(f"heading is 'same', 'up' or 'both', not '{heading}'")
        high, low = self._size(largest), self._size(smallest)
        cap = self._size(top) if top is not None else (high if heading == "both" else None)
        ladder: list[tuple[int, int]] = []
        for text in reversed([s for s in self.steps if low <= s <= high]):
            heads = {"same": [text], "up": [self.up(text)], "both": [self.up(text), text]}
            for head in heads[heading]:
                head = min(head, cap) if cap is not None else head
                if (text, head) not in ladder:
                    ladder.append((text, head))
        return ladder

    def floor(self, role: str) -> float:
        """The legible floor of ``role`` (``type_scale.floor("body")`` → 24)."""
        floor = role_floor(role)
        if floor is None:
            raise ValueError(f"unknown role '{role}' (roles: {', '.join(ROLES)})")
        return floor


class SpaceScale:
    """``space`` in templates: ``space(6)`` is 24 units, ``space.lg`` is 24, ``space.x3`` 64."""

    def __call__(self, steps: float) -> float:
        return SPACE_UNIT * float(steps)

    def __getattr__(self, name: str) -> int:
        try:
            return SPACE_STEPS[name]
        except KeyError:
            raise AttributeError(name) from None


TYPE_SCALE = TypeScale()
SPACE = SpaceScale()
