"""Turn the RGB print PDF that cairo draws into a DeviceCMYK one, object by object (pikepdf).

Nothing is rasterised: vectors stay vectors, transparency stays transparency (PDF/X-4). What
changes:

* colour operators (``rg``/``RG``, ``sc``/``scn`` in DeviceRGB) become ``k``/``K`` through
  :class:`~infographic.print.inks.Inks` — black text, lines, QR codes and marks as 0/0/0/100 with
  overprint (``/OP /op true /OPM 1``), large black areas as rich black; the size of what a colour
  paints is measured from the path's box on the page;
* images are converted once each with LittleCMS (photos stay JPEG, in CMYK);
* axial/radial shadings get CMYK end colours; page and form transparency groups blend in
  DeviceCMYK; soft-mask groups stay DeviceGray (a mask is not printed).

Anything this does not know how to convert (another colour space, a sampled function) is an
``OutputError`` that says so, never a silently RGB object in a "CMYK" file.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator, PdfImage

from ..colour import luma
from ..errors import OutputError
from .inks import LARGE_AREA_MM, Inks, is_near_black

PT_PER_MM = 72 / 25.4
PATH_START = {"m", "re"}
PATH_BUILD = {"m", "l", "c", "v", "y", "h", "re"}
FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
STROKES = {"S", "s", "B", "B*", "b", "b*"}
PAINTS = FILLS | STROKES | {"n"}
#: A black fill of more subpaths than this is text or a code, never a rich-black area.
AREA_SUBPATHS = 4
OVERPRINT_ON, OVERPRINT_OFF = Name("/InfographicOPK"), Name("/InfographicOPX")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def _instruction(operands: list, operator: str) -> pikepdf.ContentStreamInstruction:
    return pikepdf.ContentStreamInstruction(operands, Operator(operator))


def _concat(m: Matrix, n: Matrix) -> Matrix:
    """``m`` applied first, then ``n`` (PDF's ``cm`` order: new CTM = m × CTM)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


@dataclass
class _State:
    """The graphics state the rewrite tracks: the design's colours and what was emitted."""

    ctm: Matrix = IDENTITY
    fill: tuple | None = None  # sRGB the design asked for (None: not set, default black)
    stroke: tuple | None = None
    emitted_fill: tuple | None = None  # CMYK written to the new stream
    emitted_stroke: tuple | None = None
    overprint: bool = False

    def copy(self) -> "_State":
        return _State(self.ctm, self.fill, self.stroke, self.emitted_fill, self.emitted_stroke,
                      self.overprint)


@dataclass
class Separation:
    """Converts one PDF in place. ``inks`` carries the profile, the rules and the ink total."""

    pdf: pikepdf.Pdf
    inks: Inks
    done: set = field(default_factory=set)
    k_only_paints: int = 0  # black paints written as 0/0/0/100
    rich_paints: int = 0
    knockout_pages: list = field(default_factory=list)  # pages where overprint was dropped
    _page_cmy: float = 0.0  # largest C+M+Y (percent) painted on the page so far
    _image_cmy: dict = field(default_factory=dict)  # per image object: its largest C+M+Y
    _overprint_states: list = field(default_factory=list)  # this page's overprint ExtGStates

    def run(self) -> None:
        for number, page in enumerate(self.pdf.pages, 1):
            self._page_cmy, self._overprint_states = 0.0, []
            self._group(page.obj)
            self._content(page.obj, page.obj.get("/Resources") or Dictionary(), IDENTITY,
                          mask=False, page=page)
            if self._overprint_states and self._page_cmy + 100 > self.inks.ink_limit:
                # K overprinting the darkest colour under it would pass the ink limit: black
                # knocks out instead (still one plate, but no overprint) on this page
                for state in self._overprint_states:
                    state.OP = state.op = False
                self.knockout_pages.append(number)

    # -- objects ---------------------------------------------------------------------------

    def _once(self, obj) -> bool:
        key = obj.objgen
        if key == (0, 0):
            return True
        if key in self.done:
            return False
        self.done.add(key)
        return True

    def _group(self, obj) -> None:
        group = obj.get("/Group")
        if group is not None and group.get("/CS") is not None and group.get("/CS") != Name.DeviceGray:
            self._rgb_space(group.CS, "transparency group")
            group.CS = Name.DeviceCMYK

    def _rgb_space(self, space, what: str) -> None:
        """Accept DeviceRGB (or an RGB ICC space) and nothing else we cannot convert."""
        if space == Name.DeviceRGB or space == Name.DeviceCMYK:
            return
        if isinstance(space, Array) and len(space) == 2 and space[0] == Name.ICCBased \
                and int(space[1].get("/N", 0)) in (3, 4):
            return
        raise OutputError(f"cannot convert a {what} in colour space {space} to CMYK")

    def _image(self, image) -> None:
        if image.objgen in self._image_cmy:
            self._page_cmy = max(self._page_cmy, self._image_cmy[image.objgen])
        if not self._once(image) or image.get("/ImageMask"):
            return
        space = image.get("/ColorSpace")
        if space in (Name.DeviceGray, Name.DeviceCMYK) or space is None:
            return
        self._rgb_space(space, "image")
        if isinstance(space, Array) and int(space[1].get("/N", 0)) == 4:
            return
        pil = PdfImage(image).as_pil_image().convert("RGB")
        cmyk = self.inks.image(pil)
        self._image_cmy[image.objgen] = self.inks.last_image_cmy
        self._page_cmy = max(self._page_cmy, self.inks.last_image_cmy)
        was_jpeg = image.get("/Filter") == Name.DCTDecode
        if was_jpeg:
            from .inks import cmyk_jpeg
            image.write(cmyk_jpeg(cmyk), filter=Name.DCTDecode)
        else:
            image.write(zlib.compress(cmyk.tobytes(), 6), filter=Name.FlateDecode)
        image.ColorSpace = Name.DeviceCMYK
        image.BitsPerComponent = 8
        for key in ("/Decode", "/DecodeParms", "/Intent"):
            if key in image:
                del image[key]

    def _shading(self, shading, mask: bool) -> None:
        if not self._once(shading):
            return
        space = shading.get("/ColorSpace")
        if space in (Name.DeviceGray, Name.DeviceCMYK):
            return
        self._rgb_space(space, "gradient")
        shading.ColorSpace = Name.DeviceGray if mask else Name.DeviceCMYK
        shading.Function = self._function(shading.Function, mask)
        if "/Background" in shading:
            shading.Background = self._values(shading.Background, mask)

    def _function(self, function, mask: bool):
        if isinstance(function, Array):
            raise OutputError("cannot convert a gradient with one function per colour to CMYK")
        if function.is_indirect and not self._once(function):
            return function  # shared by another gradient (or twice in one): converted already
        kind = int(function.FunctionType)
        if kind == 2:
            function.C0 = self._values(function.get("/C0", Array([0, 0, 0])), mask)
            function.C1 = self._values(function.get("/C1", Array([1, 1, 1])), mask)
        elif kind == 3:
            function.Functions = Array([self._function(f, mask) for f in function.Functions])
        else:
            raise OutputError(f"cannot convert a gradient of function type {kind} to CMYK")
        if "/Range" in function:
            function.Range = Array([0, 1] * (1 if mask else 4))
        return function

    def _values(self, values, mask: bool) -> Array:
        rgb = tuple(float(v) for v in values)
        if len(rgb) == 1:
            rgb = rgb * 3
        if mask:
            return Array([luma(rgb)])
        cmyk = self.inks.colour(rgb, rules=False)  # type: ignore[arg-type]
        self._page_cmy = max(self._page_cmy, 100 * sum(cmyk[:3]))
        return Array([round(v, 4) for v in cmyk])

    def _pattern(self, pattern, mask: bool) -> None:
        if int(pattern.get("/PatternType", 0)) == 2:
            self._shading(pattern.Shading, mask)
        elif self._once(pattern):
            self._content(pattern, pattern.get("/Resources") or Dictionary(), IDENTITY, mask)

    def _resources(self, resources, mask: bool) -> None:
        for image_or_form in (resources.get("/XObject") or {}).values():
            if image_or_form.get("/Subtype") == Name.Image:
                self._image(image_or_form)
        for shading in (resources.get("/Shading") or {}).values():
            self._shading(shading, mask)
        for pattern in (resources.get("/Pattern") or {}).values():
            self._pattern(pattern, mask)
        for state in (resources.get("/ExtGState") or {}).values():
            smask = state.get("/SMask")
            if isinstance(smask, Dictionary) and smask.get("/G") is not None:
                group = smask.G
                if "/BC" in smask:
                    smask.BC = self._values(smask.BC, True) \
                        if len(smask.BC) == 3 else smask.BC
                if self._once(group):
                    self._content(group, group.get("/Resources") or Dictionary(), IDENTITY,
                                  mask=True)

    # -- content streams ----------------------------------------------------------------------

    def _content(self, owner, resources, ctm: Matrix, mask: bool, page=None) -> None:
        """Rewrite the content stream of a page, form or pattern (``mask``: inside a soft
        mask's group, where colours become greys)."""
        self._resources(resources, mask)
        # instructions are kept as pikepdf objects: unparsing them is ~20× faster than tuples,
        # and operands are read only where a colour, matrix or black path needs them
        ops = pikepdf.parse_content_stream(page if page is not None else owner)
        names = [str(instruction.operator) for instruction in ops]
        out: list = []
        state = _State(ctm)
        stack: list[_State] = []
        uses_overprint = False
        i = 0
        while i < len(ops):
            op = names[i]
            if op in PATH_START or (op in PATH_BUILD and i and names[i - 1] in PAINTS):
                end = i
                while end < len(ops) and names[end] not in PAINTS:
                    end += 1
                paint = names[end] if end < len(ops) else "n"
                if paint != "n":
                    uses_overprint |= self._set_colours(out, state, paint, ops[i:end], mask)
                out.extend(ops[i:end + 1])
                i = end + 1
                continue
            operands = ops[i].operands if op not in ("q", "Q") else []  # type: ignore[var-annotated]
            if op == "q":
                stack.append(state.copy())
            elif op == "Q":
                state = stack.pop() if stack else state
            elif op == "cm":
                state.ctm = _concat(tuple(float(v) for v in operands), state.ctm)  # type: ignore[arg-type]
            elif op in ("rg", "RG"):
                rgb = tuple(float(v) for v in operands)
                if op == "rg":
                    state.fill = rgb
                else:
                    state.stroke = rgb
                i += 1
                continue  # written when something is painted with it
            elif op in ("g", "G"):
                grey = (float(operands[0]),) * 3
                if op == "g":
                    state.fill = grey
                else:
                    state.stroke = grey
                i += 1
                continue
            elif op in ("k", "K"):  # already CMYK: kept
                self._set_device(state, op == "k", ("cmyk",))
            elif op in ("cs", "CS", "sc", "SC", "scn", "SCN"):
                out.extend(self._colour_space_op(operands, op, state, resources, mask))
                i += 1
                continue
            elif op == "sh":
                uses_overprint |= self._overprint_off(out, state)
            elif op == "Do":
                xobject = resources.XObject[operands[0]]
                if xobject.get("/Subtype") == Name.Image and not xobject.get("/ImageMask"):
                    uses_overprint |= self._overprint_off(out, state)
                if xobject.get("/Subtype") == Name.Form:
                    # the form is converted once, for every place it is drawn: it starts from
                    # our colours and with overprint off, as its own state assumes
                    uses_overprint |= self._set_colours(out, state, "B", [], mask)
                    uses_overprint |= self._overprint_off(out, state)
                    self._group(xobject)
                    if self._once(xobject):
                        matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                        self._content(xobject, xobject.get("/Resources") or Dictionary(),
                                      _concat(matrix, state.ctm), mask)  # type: ignore[arg-type]
                elif xobject.get("/ImageMask"):
                    uses_overprint |= self._set_colours(out, state, "f", [], mask)
            elif op in ("Tj", "TJ", "'", '"'):
                uses_overprint |= self._set_colours(out, state, "f", [], mask)
            elif op in ("BI", "INLINE IMAGE"):
                raise OutputError("cannot convert an inline image to CMYK")
            out.append(ops[i])
            i += 1
        if uses_overprint:
            states = resources.get("/ExtGState")
            if states is None:
                resources.ExtGState = states = Dictionary()
            states[OVERPRINT_ON] = Dictionary(Type=Name.ExtGState, OP=True, op=True, OPM=1)
            self._overprint_states.append(states[OVERPRINT_ON])
            states[OVERPRINT_OFF] = Dictionary(Type=Name.ExtGState, OP=False, op=False)
            holder = page.obj if page is not None else owner
            if "/Resources" not in holder:
                holder.Resources = resources
        data = pikepdf.unparse_content_stream(out)
        if page is not None:
            page.Contents = self.pdf.make_stream(data)
        else:
            owner.write(data)

    def _colour_space_op(self, operands, op: str, state: _State, resources, mask: bool) -> list:
        """``cs``/``sc``: DeviceRGB and DeviceGray values are tracked like ``rg``; patterns
        (converted where they are defined) and CMYK colours pass through as they are."""
        fill = op in ("cs", "sc", "scn")
        if op in ("cs", "CS"):
            name = operands[0]
            space = name if name in (Name.DeviceRGB, Name.DeviceGray, Name.DeviceCMYK,
                                     Name.Pattern) else (resources.get("/ColorSpace") or {}).get(name)
            if space == Name.Pattern or (isinstance(space, Array) and space[0] == Name.Pattern):
                self._set_device(state, fill, ("pattern",))
                return [_instruction(operands, op)]
            if space == Name.DeviceCMYK or (isinstance(space, Array) and len(space) == 2
                                            and space[0] == Name.ICCBased
                                            and int(space[1].get("/N", 0)) == 4):
                self._set_device(state, fill, ("cmyk",))
                return [_instruction(operands, op)]
            if space != Name.DeviceGray:
                self._rgb_space(space, "colour")
            self._set_device(state, fill, None)
            return []  # the values follow in sc/scn
        current = state.fill if fill else state.stroke
        if current and isinstance(current[0], str):  # a pattern or a CMYK colour
            return [_instruction(operands, op)]
        values = tuple(float(v) for v in operands)
        rgb = values * 3 if len(values) == 1 else values[:3]
        if fill:
            state.fill = rgb
        else:
            state.stroke = rgb
        return []

    @staticmethod
    def _set_device(state: _State, fill: bool, kind: tuple | None) -> None:
        """The fill or stroke colour is now written as the source has it (``kind``: pattern,
        cmyk) or again ours to write (None); what we emitted last no longer holds."""
        if fill:
            state.fill, state.emitted_fill = kind, None
        else:
            state.stroke, state.emitted_stroke = kind, None

    def _set_colours(self, out: list, state: _State, paint: str, path: list, mask: bool) -> bool:
        """Write the colour(s) ``paint`` uses, chosen for what it paints; returns whether
        overprint is used."""
        fill, stroke = paint in FILLS, paint in STROKES
        area = fill and state.fill is not None and not isinstance(state.fill[0], str) \
            and is_near_black(state.fill) and self._is_area(path, state.ctm)  # type: ignore[arg-type]
        want_overprint = False
        for active, rgb, attr, operator in ((fill, state.fill, "emitted_fill", "k"),
                                            (stroke, state.stroke, "emitted_stroke", "K")):
            if not active or (rgb and isinstance(rgb[0], str)):  # a pattern or CMYK as given
                continue
            rgb = rgb or (0.0, 0.0, 0.0)
            if mask:
                grey = luma(rgb)
                value: tuple = (round(grey, 4),)
                op = "g" if operator == "k" else "G"
            else:
                black = is_near_black(rgb)  # type: ignore[arg-type]
                value = tuple(round(v, 4) for v in self.inks.colour(
                    rgb, area=area and operator == "k"))  # type: ignore[arg-type]
                op = operator
                self._page_cmy = max(self._page_cmy, 100 * sum(value[:3]))
                if black and value == (0.0, 0.0, 0.0, 1.0):
                    want_overprint = True
                    self.k_only_paints += 1
                elif black:
                    self.rich_paints += 1
            if getattr(state, attr) != value:
                out.append(_instruction([*value], op))
                setattr(state, attr, value)
        if mask:
            return False
        if want_overprint != state.overprint:
            out.append(_instruction([OVERPRINT_ON if want_overprint else OVERPRINT_OFF], "gs"))
            state.overprint = want_overprint
            return True
        return state.overprint

    def _overprint_off(self, out: list, state: _State) -> bool:
        """Images and gradients knock out what is under them (overprint is for black ink)."""
        if not state.overprint:
            return False
        out.append(_instruction([OVERPRINT_OFF], "gs"))
        state.overprint = False
        return True

    def _is_area(self, path: list, ctm: Matrix) -> bool:
        """Whether the path is one large shape: at most ``AREA_SUBPATHS`` subpaths and at least
        LARGE_AREA_MM on both sides of its page box. Text lines and QR codes are many small
        subpaths (glyphs, modules) even where their box is large: they stay in K."""
        subpaths = 0
        for instruction in path:
            if str(instruction.operator) in PATH_START:
                subpaths += 1
                if subpaths > AREA_SUBPATHS:
                    return False
        xs: list[float] = []
        ys: list[float] = []
        a, b, c, d, e, f = ctm
        for instruction in path:
            op = str(instruction.operator)
            values = [float(v) for v in instruction.operands]
            if op == "re":
                x, y, w, h = values
                points = [(x, y), (x + w, y + h), (x, y + h), (x + w, y)]
            else:
                points = list(zip(values[0::2], values[1::2]))
            for x, y in points:
                xs.append(a * x + c * y + e)
                ys.append(b * x + d * y + f)
        if not xs:
            return False
        limit = LARGE_AREA_MM * PT_PER_MM
        return max(xs) - min(xs) >= limit and max(ys) - min(ys) >= limit


def separate(pdf: pikepdf.Pdf, inks: Inks) -> Separation:
    """Convert every page of ``pdf`` to DeviceCMYK in place (see the module docstring)."""
    separation = Separation(pdf, inks)
    separation.run()
    return separation
