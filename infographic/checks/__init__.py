"""Checks measured on a laid-out artwork after rendering (print preflight), and the SVG geometry
they measure with. They run inside :func:`infographic.render` and never fail a render."""
