"""The design system every layout draws with: a type scale, a spacing scale and text roles.

Sizes are canvas units (px on the 1080-wide social canvas; paper is drawn on the same 1080-wide
canvas). A slot in layout.yaml declares its ``role``; the role sets the smallest size at which the
text still reads on a phone (its *floor*). Text fitted below its floor is ``illegible`` in the fit
report — a warning, an error under ``strict``.
"""

from __future__ import annotations

from typing import Any

#: Type steps (canvas units): caption … hero. Templates and slots pick steps, not free numbers.
TYPE_STEPS: dict[str, int] = {"xs": 20, "sm": 24, "md": 30, "lg": 40, "xl": 56, "xxl": 80,
                              "hero": 112}
#: Spacing is 4-based: ``space(n)`` is 4 × n; the named steps cover what layouts use.
SPACE_UNIT = 4
SPACE_STEPS: dict[str, int] = {"xxs": 4, "xs": 8, "sm": 12, "md": 16, "lg": 24, "xl": 32,
                               "xxl": 48, "x3": 64, "x4": 80}

#: What a text is for; the role sets its legible floor.
ROLES = ("display", "title", "body", "label", "caption")
#: Smallest legible size per role, in canvas units. Paper is drawn on the same 1080-wide canvas,
#: so the same floors hold there (A4: 24 units ≈ 13 pt, A3 ≈ 19 pt; the print preflight's 6 pt
#: stays the absolute floor for every text, with or without a role).
ROLE_FLOORS: dict[str, float] = {"display": 24, "title": 24, "body": 24, "label": 24,
                                 "caption": 20}


#: The text slots of the shared header and footer (``page_header``, ``page_footer``). A layout may
#: restyle them by declaring a slot of the same name; its keys override these.
CHROME_SLOTS: dict[str, dict[str, Any]] = {
    "header_issuer": {"font": "heading", "weight": 700, "size": 26, "min_size": 24,
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
    "footer_source": {"font": "body", "size": 22, "min_size": 20, "max_lines": 2,
                      "line_height": 1.25, "color": "muted", "background": "surface",
                      "role": "caption", "overflow": "error"},
}


def role_floor(role: str | None) -> float | None:
    """The floor of ``role`` in canvas units, or None for a slot without a role."""
    return ROLE_FLOORS.get(role) if role else None


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
    ``type_scale.snap(41.7)`` (the largest step not above a computed size, never below 20)."""

    steps = tuple(TYPE_STEPS.values())

    def __getattr__(self, name: str) -> int:
        try:
            return TYPE_STEPS[name]
        except KeyError:
            raise AttributeError(name) from None

    def snap(self, size: float) -> int:
        return max((s for s in self.steps if s <= float(size) + 1e-6), default=self.steps[0])

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
