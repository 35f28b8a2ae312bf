/* infographic preview: keeps the gallery and layout pages in step with the server (SSE). */
(() => {
  "use strict";

  const page = document.body.dataset.page;
  const initial = JSON.parse(document.getElementById("initial-state").textContent);
  const STATUS_ORDER = ["fit", "shrunk", "illegible", "truncated", "overflow"];
  const KIND_TITLES = {
    template: "Template error", manifest: "Manifest error (layout.yaml)", theme: "Theme error",
    fit: "Text does not fit", size: "Size error", layout: "Layout error", timeout: "Render stopped",
    internal: "Renderer crashed", input: "Render error",
  };

  // ---- small helpers -----------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const enc = encodeURIComponent;
  const svgUrl = (slug, size, key) => `/render/${enc(slug)}/${enc(size)}.svg?k=${enc(key)}`;
  const pngUrl = (slug, size, key) => `/render/${enc(slug)}/${enc(size)}.png?k=${enc(key)}`;
  const stored = (name, fallback) => {
    try { const v = localStorage.getItem(`infographic-preview.${name}`); return v === null ? fallback : JSON.parse(v); }
    catch (e) { return fallback; }
  };
  const store = (name, value) => { try { localStorage.setItem(`infographic-preview.${name}`, JSON.stringify(value)); } catch (e) { /* private mode */ } };

  // The session token (see guard.py): changes must carry it in a header; reads carry it too.
  const TOKEN = document.querySelector('meta[name="preview-token"]').content;
  const api = (url, options = {}) => fetch(url, { ...options,
    headers: { ...(options.headers || {}), Authorization: `Bearer ${TOKEN}` } });

  function sendJSON(method, url, body) {
    return api(url, { method, headers: { "Content-Type": "application/json" },
                      body: body === undefined ? undefined : JSON.stringify(body) })
      .then(async (response) => {
        const payload = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(payload.error || `HTTP ${response.status}`);
        return payload;
      });
  }

  /** Show ``url`` in ``img`` once it has loaded, so the previous picture stays until then. */
  function swapImage(img, url, onLoaded) {
    if (img.dataset.want === url) return;
    img.dataset.want = url;
    const probe = new Image();
    probe.onload = () => {
      if (img.dataset.want !== url) return;
      img.src = url;
      img.hidden = false;
      if (onLoaded) onLoaded();
    };
    probe.src = url;
  }

  /** One line for an error: the field it is about, then what is wrong. */
  function describe(error) {
    const text = error.detail || error.message;
    return error.field ? `Field ‘${error.field}’: ${text}` : text;
  }

  function worstOf(sizes) {
    let worst = null;
    for (const s of sizes) {
      if (!s.fit) continue;
      if (worst === null || STATUS_ORDER.indexOf(s.fit.worst) > STATUS_ORDER.indexOf(worst)) worst = s.fit.worst;
    }
    return worst;
  }

  // ---- status pill, theme, events --------------------------------------------------------
  const statusNode = document.getElementById("status");
  function setStatus(kind, text) {
    statusNode.className = `status ${kind}`;
    statusNode.querySelector("span").textContent = text;
  }

  const themeSelect = document.getElementById("theme-select");
  themeSelect.addEventListener("change", () => {
    sendJSON("PUT", "/api/theme", { theme: themeSelect.value }).catch((err) => alert(err.message));
  });

  let online = false;
  function connect(handlers) {
    const source = new EventSource("/events");
    source.addEventListener("hello", () => { online = true; handlers.resync(); });
    source.addEventListener("layout", (e) => handlers.layout(JSON.parse(e.data)));
    source.addEventListener("theme", (e) => { themeSelect.value = JSON.parse(e.data).theme; });
    source.onerror = () => { online = false; setStatus("offline", "Reconnecting…"); };
  }

  // ---- gallery ---------------------------------------------------------------------------
  function galleryPage() {
    const layouts = new Map(initial.layouts.map((l) => [l.slug, l]));

    function update(l) {
      layouts.set(l.slug, l);
      const card = document.querySelector(`.g-card[data-slug="${CSS.escape(l.slug)}"]`);
      if (!card) return;
      const thumb = l.sizes.find((s) => s.size === l.thumbnail) || l.sizes.find((s) => s.key) || l.sizes[0];
      const img = card.querySelector("img");
      if (thumb && thumb.key) {
        swapImage(img, svgUrl(l.slug, thumb.size, thumb.key), () => {
          card.querySelector(".g-placeholder").hidden = true;
        });
      }
      const badge = card.querySelector("[data-role=badge]");
      const worst = worstOf(l.sizes);
      const problem = l.problem || (l.sizes.find((s) => s.error) || {}).error;
      const [text, cls] = problem ? ["error", "s-error"] : worst ? [worst, `s-${worst}`]
        : l.pending ? ["rendering", "s-rendering"] : ["", ""];
      badge.textContent = text;
      badge.className = `chip ${cls}`;
      const error = card.querySelector("[data-role=error]");
      error.hidden = !problem;
      error.textContent = problem ? describe(problem) : "";
      if (!img.src && !(thumb && thumb.key)) {
        card.querySelector(".g-placeholder").textContent = problem ? "Not rendered: see the error" : "Rendering…";
      }
      refreshStatus();
    }

    function refreshStatus() {
      if (!online) return;
      const all = [...layouts.values()];
      const pending = all.reduce((n, l) => n + l.pending, 0);
      const broken = all.filter((l) => l.problem).length;
      if (pending) setStatus("busy", `Rendering ${pending}…`);
      else if (broken) setStatus("problem", `${broken} with errors`);
      else setStatus("ok", "Up to date");
    }

    layouts.forEach(update);
    connect({
      layout: update,
      resync: () => api("/api/state").then((r) => r.json()).then((s) => {
        themeSelect.value = s.theme;
        s.layouts.forEach(update);
      }),
    });
  }

  // ---- layout page -------------------------------------------------------------------------
  function layoutPage() {
    let state = initial;
    const slug = state.slug;
    const sizesNode = document.getElementById("sizes");
    const formats = sizesNode.dataset.formats.split(",");
    const cards = new Map();
    const root = document.documentElement;
    const fitToggle = document.getElementById("fit-toggle");
    const exactToggle = document.getElementById("exact-toggle");
    const guidesToggle = document.getElementById("guides-toggle");
    const zoom = document.getElementById("zoom");
    let hiddenProblem = null;

    // toolbar
    fitToggle.checked = stored("fit", false);
    exactToggle.checked = stored("exact", false);
    guidesToggle.checked = stored("guides", true);
    zoom.value = stored("zoom", 380);
    const applyTools = () => {
      document.body.classList.toggle("show-fit", fitToggle.checked);
      root.style.setProperty("--card-h", `${zoom.value}px`);
      cards.forEach((card, size) => sizeFrame(card, state.sizes.find((s) => s.size === size)));
    };
    fitToggle.addEventListener("change", () => { store("fit", fitToggle.checked); applyTools(); });
    zoom.addEventListener("input", () => { store("zoom", Number(zoom.value)); applyTools(); });
    exactToggle.addEventListener("change", () => {
      store("exact", exactToggle.checked);
      state.sizes.forEach((s) => { const card = cards.get(s.size); if (card) showImage(card, s); });
    });
    guidesToggle.addEventListener("change", () => {
      store("guides", guidesToggle.checked);
      state.sizes.forEach((s) => {
        const card = cards.get(s.size);
        if (card) { sizeFrame(card, s); showImage(card, s); }
      });
    });
    // the print view of a paper size: the page grown by the bleed, with the guides drawn on it
    const printView = (s) => Boolean(s.print && s.paper_mm && guidesToggle.checked && !exactToggle.checked);
    document.addEventListener("keydown", (e) => {
      if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === "f") { fitToggle.checked = !fitToggle.checked; fitToggle.dispatchEvent(new Event("change")); }
    });

    // size cards
    function sizeFrame(card, s) {
      if (!s) return;
      const [w, h] = printView(s) ? s.paper_mm.map((v) => v + 2 * s.bleed_mm)
        : s.width ? [s.width, s.height] : s.px;
      const width = Math.round((Number(zoom.value) * w) / h);
      card.frame.style.width = `${width}px`;
      card.node.style.width = `${width + 22}px`;
      card.frame.classList.toggle("print-view", printView(s));
      // the fit overlay sits on the trim, inside the bleed band
      const [bx, by] = printView(s) ? s.paper_mm.map((v) => (100 * s.bleed_mm) / (v + 2 * s.bleed_mm)) : [0, 0];
      card.layer.style.inset = `${by}% ${bx}%`;
    }

    function makeCard(s) {
      const chip = el("span", { class: "chip" });
      const ms = el("span", { class: "ms" });
      const img = el("img", { alt: `${state.title} — ${s.size}`, hidden: true, "data-size": s.size });
      const empty = el("div", { class: "empty", text: "Rendering…" });
      const layer = el("div", { class: "fit-layer" });
      const error = el("div", { class: "card-error", hidden: true });
      const frame = el("div", { class: "frame", title: "Open at full size in a new tab" }, img, empty, layer, error);
      frame.addEventListener("click", () => { if (img.dataset.want) window.open(img.dataset.want, "_blank", "noopener"); });
      const buttons = formats.filter((fmt) => fmt !== "print-pdf" || s.print).map((fmt) => el("button", {
        type: "button", "data-format": fmt,
        title: fmt === "print-pdf" ? `Download the print PDF of ${s.size}: 3 mm bleed, crop marks, page boxes (what "infographic print" writes)`
          : `Download ${s.size} as ${fmt.toUpperCase()} at full resolution`,
        onclick: (e) => download(s.size, fmt, e.currentTarget),
      }, fmt === "webp" ? "WebP" : fmt === "print-pdf" ? "Print PDF" : fmt.toUpperCase()));
      const summary = el("summary");
      const report = el("details", { class: "report", open: stored("report-open", false) }, summary);
      report.addEventListener("toggle", () => store("report-open", report.open));
      const node = el("section", { class: "card", "data-size": s.size },
        el("div", { class: "card-head" }, el("h2", { text: s.size }), el("span", { class: "dims", text: s.label }), chip, ms),
        frame,
        el("div", { class: "downloads" }, el("span", { text: "Download" }), buttons),
        report);
      return { node, chip, ms, img, empty, layer, error, frame, report, summary, key: null };
    }

    function showImage(card, s) {
      if (!s.key) return;
      const url = exactToggle.checked ? pngUrl(slug, s.size, s.key)
        : svgUrl(slug, s.size, s.key) + (printView(s) ? "&guides=1" : "");
      swapImage(card.img, url, () => { card.empty.hidden = true; });
    }

    function updateCard(card, s) {
      const status = s.pending ? "rendering" : s.error ? "error" : s.fit ? s.fit.worst : "";
      card.chip.textContent = status;
      card.chip.className = `chip s-${status}`;
      card.ms.textContent = s.ms !== null && s.ms !== undefined && !s.pending ? `${s.ms} ms` : "";
      sizeFrame(card, s);
      showImage(card, s);
      card.frame.classList.toggle("stale", Boolean(s.error && s.key));
      card.error.hidden = !s.error;
      card.error.textContent = s.error ? describe(s.error) : "";
      if (!s.key) card.empty.textContent = s.error ? "No render yet" : "Rendering…";
      if (s.key !== card.key && s.fit) {
        card.key = s.key;
        drawFitLayer(card, s);
        drawReport(card, s);
      }
    }

    function drawFitLayer(card, s) {
      const [cw, ch] = s.canvas;
      // the layout's slots, then the charts' labels (values, axes, legends), placed the same way
      const placed = [...s.fit.entries, ...(s.fit.labels || []).map((e) => ({ ...e, chart: true }))];
      card.layer.replaceChildren(...placed.map((e) => {
        const [x, y, w, h] = e.box;
        const pct = (v, total) => `${(100 * v) / total}%`;
        const box = el("div", {
          class: `fit-box st-${e.status}${e.chart ? " chart-label" : ""}${y < ch * 0.04 ? " label-inside" : ""}${x > cw / 2 ? " label-right" : ""}`,
          "data-slot": e.slot,
          style: `left:${pct(x, cw)};top:${pct(y, ch)};width:${pct(w, cw)};height:${pct(h, ch)}`,
        });
        const content = e.content_box;
        if (content && content[3] > 0) {
          box.append(el("div", { class: "fit-content",
            style: `top:${(100 * (content[1] - y)) / h}%;height:${(100 * content[3]) / h}%` }));
        }
        const size = e.size < e.max_size ? ` ${fmt(e.size)}/${fmt(e.max_size)}` : "";
        box.append(el("span", { class: "fit-label", text: `${e.slot} · ${e.status}${size}` }));
        box.title = [`${e.slot}: ${e.status}`, `size ${fmt(e.size)} (max ${fmt(e.max_size)}, min ${fmt(e.min_size)})`,
          `${e.lines} line${e.lines === 1 ? "" : "s"}${e.max_lines ? ` of ${e.max_lines}` : ""}`, e.message].filter(Boolean).join("\n");
        return box;
      }));
    }

    const fmt = (n) => (Math.round(n * 10) / 10).toString();

    function drawReport(card, s) {
      const { entries, worst } = s.fit;
      const labels = s.fit.labels || [];
      // typed findings (kind, severity, slot, message): fit, missing-glyph, contrast, qr, preflight…
      const findings = s.fit.findings || s.fit.warnings.map((message) => ({ kind: "", message }));
      const kinds = {};
      for (const f of findings) kinds[f.kind] = (kinds[f.kind] || 0) + 1;
      const counted = Object.entries(kinds).map(([kind, n]) => (kind ? `${n} ${kind}` : `${n}`)).join(", ");
      card.summary.replaceChildren("Fit report · ", `${entries.length} slots${labels.length ? ` + ${labels.length} chart labels` : ""} · worst `,
        el("b", { text: worst }), findings.length ? ` · ${findings.length} finding${findings.length > 1 ? "s" : ""} (${counted})` : "");
      const rows = entries.map((e) => el("tr", {
        "data-slot": e.slot,
        onmouseenter: () => highlight(card, e.slot, true), onmouseleave: () => highlight(card, e.slot, false),
      },
      el("td", {}, el("code", { text: e.slot })),
      el("td", {}, el("span", { class: `chip s-${e.status}`, text: e.status })),
      el("td", { text: e.size < e.max_size ? `${fmt(e.size)} of ${fmt(e.max_size)} (min ${fmt(e.min_size)})` : fmt(e.size) }),
      el("td", { text: e.max_lines ? `${e.lines}/${e.max_lines}` : `${e.lines}` }),
      el("td", { class: "msg", text: [e.message, e.missing_chars.length ? `missing: ${e.missing_chars.join(" ")}` : ""].filter(Boolean).join(" · ") })));
      const table = el("table", {}, el("thead", {}, el("tr", {}, ["Slot", "Status", "Size", "Lines", "Note"].map((t) => el("th", { text: t })))),
        el("tbody", {}, rows));
      const list = findings.length ? el("ul", { class: "warnings" }, findings.map((f) => el("li", { "data-kind": f.kind || null, "data-slot": f.slot || null },
        f.kind ? el("span", { class: "kind", text: f.kind }) : null, f.message))) : null;
      card.report.replaceChildren(...[card.summary, table, list].filter(Boolean));
    }

    function highlight(card, slot, on) {
      const box = card.layer.querySelector(`.fit-box[data-slot="${CSS.escape(slot)}"]`);
      if (box) box.classList.toggle("hl", on);
      if (on && !fitToggle.checked) card.layer.style.display = "block";
      if (!on) card.layer.style.display = "";
    }

    async function download(size, format, button) {
      button.classList.remove("failed");
      button.classList.add("busy");
      button.removeAttribute("data-error");
      try {
        const response = await api(`/download/${enc(slug)}/${enc(size)}.${format}`);
        if (!response.ok) {
          const payload = await response.json().catch(() => ({}));
          throw new Error(payload.error || `HTTP ${response.status}`);
        }
        const blob = await response.blob();
        const name = format === "print-pdf" ? `${slug}-${size}-print.pdf` : `${slug}-${size}.${format}`;
        const link = el("a", { href: URL.createObjectURL(blob), download: name });
        document.body.append(link);
        link.click();
        setTimeout(() => { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
      } catch (err) {
        button.classList.add("failed");
        button.title = `Download failed: ${err.message}`;
        button.dataset.error = err.message;
      } finally {
        button.classList.remove("busy");
      }
    }

    // problems: overlay (layout, template, manifest…) or banner (data)
    const overlay = document.getElementById("overlay");
    const banner = document.getElementById("banner");
    document.getElementById("overlay-hide").addEventListener("click", () => {
      hiddenProblem = state.problem && state.problem.message;
      overlay.hidden = true;
    });

    function showProblem(problem) {
      const isData = problem && problem.kind === "data";
      banner.hidden = !isData;
      if (isData) {
        banner.replaceChildren(el("b", { text: "Data error" }),
          problem.field ? ` — field ‘${problem.field}’: ` : " — ", problem.detail || problem.message,
          ". The last good render is shown.");
      }
      if (!problem || isData) { overlay.hidden = true; hiddenProblem = null; return; }
      if (hiddenProblem === problem.message) return;
      hiddenProblem = null;
      overlay.hidden = false;
      document.getElementById("overlay-title").textContent = KIND_TITLES[problem.kind] || "Error";
      const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}` : ""}${problem.column ? `:${problem.column}` : ""}` : "";
      const whereNode = document.getElementById("overlay-where");
      whereNode.textContent = where;
      whereNode.hidden = !where;
      document.getElementById("overlay-message").textContent = problem.detail || problem.message;
      const code = document.getElementById("overlay-code");
      code.hidden = !problem.excerpt.length;
      code.replaceChildren(...problem.excerpt.map((line) => {
        const row = el("span", { class: `ln${line.here ? " here" : ""}` }, el("b", { text: line.n }), line.text || " ");
        if (line.here && problem.column) {
          return [row, el("span", { class: "ln" }, el("b", { text: "" }), el("span", { class: "caret", text: `${" ".repeat(problem.column - 1)}^` }))];
        }
        return row;
      }).flat());
    }

    // status pill
    function refreshStatus() {
      if (!online) return;
      if (state.pending) setStatus("busy", `Rendering ${state.pending} size${state.pending > 1 ? "s" : ""}…`);
      else if (state.problem) setStatus("problem", "Error — last good render shown");
      else if (state.sizes.some((s) => s.error)) setStatus("problem", "Some sizes failed");
      else setStatus("ok", "Up to date");
    }

    // the data form
    const form = document.getElementById("data-form");
    let formSignature = null;
    let formRevision = null;
    let sendTimer = null;
    const readers = new Map();

    function syncForm(l) {
      const signature = JSON.stringify(l.fields);
      if (signature !== formSignature || l.data_revision !== formRevision) {
        buildForm(l);
        formSignature = signature;
        formRevision = l.data_revision;
      }
      document.getElementById("edited-tag").hidden = !l.edited;
      document.getElementById("data-source").textContent = l.data_path
        ? `From ${l.data_path}${l.edited ? " — edited here (not saved to the file)" : ""}`
        : `Sample values from layout.yaml${l.edited ? " — edited here" : ""}`;
      form.querySelectorAll(".field").forEach((node) => {
        node.classList.remove("invalid");
        const msg = node.querySelector(".field-error");
        if (msg) msg.remove();
      });
      const problem = l.problem;
      if (problem && problem.kind === "data" && problem.field) {
        const node = form.querySelector(`.field[data-field="${CSS.escape(problem.field)}"]`);
        if (node) {
          node.classList.add("invalid");
          node.append(el("p", { class: "field-error", text: problem.detail || problem.message }));
        }
      }
    }

    function scheduleSend() {
      clearTimeout(sendTimer);
      sendTimer = setTimeout(() => {
        const data = {};
        readers.forEach((read, name) => { data[name] = read(); });
        sendJSON("PUT", `/api/layouts/${enc(slug)}/data`, { data }).catch((err) => setStatus("problem", err.message));
      }, 250);
    }

    function textControl(f, value) {
      const long = f.type === "paragraphs" || f.type === "list" || !f.max_length || f.max_length > 80;
      let text = value;
      if (Array.isArray(value)) text = value.join(f.type === "paragraphs" ? "\n\n" : "\n");
      text = text === null || text === undefined ? "" : String(text);
      const rows = f.type === "paragraphs" ? 7 : f.type === "list" ? 4 : Math.min(5, Math.max(2, Math.ceil(text.length / 42)));
      const input = long
        ? el("textarea", { name: f.name, rows, id: `f-${f.name}` })
        : el("input", { type: f.type === "url" ? "url" : "text", name: f.name, id: `f-${f.name}` });
      input.value = text;
      return input;
    }

    function buildControl(f, value) {
      const type = f.type;
      if (["text", "url", "paragraphs", "list"].includes(type)) {
        const input = textControl(f, value);
        const read = () => {
          if (type === "paragraphs") return input.value.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
          if (type === "list") return input.value.split("\n").map((p) => p.trim()).filter(Boolean);
          return input.value;
        };
        return [input, read];
      }
      if (type === "number" || type === "integer") {
        const input = el("input", { type: "text", inputmode: type === "integer" ? "numeric" : "decimal", name: f.name, id: `f-${f.name}` });
        input.value = value === null || value === undefined ? "" : String(value);
        return [input, () => input.value];
      }
      if (type === "date") {
        const iso = typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value);
        const input = el("input", { type: iso || !value ? "date" : "text", name: f.name, id: `f-${f.name}` });
        input.value = value ? String(value) : "";
        return [input, () => input.value];
      }
      if (type === "boolean") {
        const input = el("input", { type: "checkbox", name: f.name, id: `f-${f.name}` });
        input.checked = value === true || ["true", "yes", "1", "có", "x"].includes(String(value).toLowerCase());
        return [el("label", { class: "check" }, input, f.label || f.name), () => input.checked];
      }
      if (type === "choice") {
        const select = el("select", { name: f.name, id: `f-${f.name}` },
          f.required ? null : el("option", { value: "", text: "—" }),
          f.choices.map((c) => el("option", { value: c, text: c })));
        select.value = value === null || value === undefined ? "" : String(value);
        return [select, () => select.value];
      }
      if (type === "color") {
        const text = el("input", { type: "text", name: f.name, id: `f-${f.name}`, placeholder: "#rrggbb" });
        const picker = el("input", { type: "color", "aria-label": `${f.name} colour` });
        text.value = value ? String(value) : "";
        if (/^#[0-9a-fA-F]{6}$/.test(text.value)) picker.value = text.value;
        picker.addEventListener("input", () => { text.value = picker.value; });
        text.addEventListener("input", () => { if (/^#[0-9a-fA-F]{6}$/.test(text.value)) picker.value = text.value; });
        return [el("div", { class: "color-row" }, picker, text), () => text.value];
      }
      if (type === "table") return tableControl(f, value);
      const input = el("textarea", { name: f.name, rows: 4, id: `f-${f.name}` });
      input.value = value === undefined ? "" : JSON.stringify(value, null, 1);
      return [input, () => { try { return JSON.parse(input.value); } catch (e) { return input.value; } }];
    }

    /** Rows of a table field: a grid for short columns (dates, figures), one small card per
     *  row when a column holds sentences (a grid cell would show a few words of them). */
    function tableControl(f, value) {
      const columns = f.columns;
      const stacked = columns.some((c) => ["text", "url"].includes(c.type) && (!c.max_length || c.max_length > 40));
      const rows = el(stacked ? "div" : "tbody", { class: stacked ? "row-cards" : null });
      const cell = (c, v) => {
        if (c.type === "boolean") {
          const box = el("input", { type: "checkbox", "data-col": c.name, "aria-label": c.label || c.name });
          box.checked = v === true;
          return box;
        }
        const long = stacked && (!c.max_length || c.max_length > 60);
        const input = el(long ? "textarea" : "input", { type: long ? null : "text", rows: long ? 2 : null,
          "data-col": c.name, "aria-label": c.label || c.name });
        input.value = v === null || v === undefined ? "" : String(v);
        return input;
      };
      const remove = (row) => el("button", { type: "button", class: "rm", title: "Remove row", text: "×",
        onclick: () => { row.remove(); scheduleSend(); } });
      const addRow = (data) => {
        let row;
        if (stacked) {
          row = el("div", { class: "row-card", "data-row": "" });
          row.append(...columns.map((c) => el("label", {}, el("span", { text: c.label || c.name }),
            cell(c, (data || {})[c.name]))), remove(row));
        } else {
          row = el("tr", { "data-row": "" }, columns.map((c) => el("td", {}, cell(c, (data || {})[c.name]))));
          row.append(el("td", { class: "rm" }, remove(row)));
        }
        rows.append(row);
        return row;
      };
      (Array.isArray(value) ? value : []).forEach((row) => addRow(row));
      const body = stacked ? rows : el("div", { class: "table-edit" }, el("table", {},
        el("thead", {}, el("tr", {}, columns.map((c) => el("th", { text: c.label || c.name, title: c.name })), el("th"))), rows));
      const wrap = el("div", { class: "table-wrap" }, body,
        el("button", { type: "button", class: "ghost table-add", text: "+ Add row",
          onclick: () => { addRow({}).querySelector("input, textarea").focus(); } }));
      const read = () => [...rows.querySelectorAll("[data-row]")].map((row) => {
        const data = {};
        row.querySelectorAll("[data-col]").forEach((input) => {
          data[input.dataset.col] = input.type === "checkbox" ? input.checked : input.value;
        });
        return data;
      }).filter((data) => Object.values(data).some((v) => v !== "" && v !== false));
      return [wrap, read];
    }

    function buildForm(l) {
      readers.clear();
      const data = l.data || {};
      form.replaceChildren(...l.fields.map((f) => {
        const [control, read] = buildControl(f, data[f.name] !== undefined ? data[f.name] : f.default);
        readers.set(f.name, read);
        const count = f.max_length && ["text", "url"].includes(f.type) ? el("span", { class: "count" }) : null;
        const updateCount = () => {
          if (!count) return;
          const n = [...(control.value || "")].length;
          count.textContent = `${n}/${f.max_length}`;
          count.classList.toggle("over", n > f.max_length);
        };
        updateCount();
        control.addEventListener("input", updateCount);
        const label = f.type === "boolean" ? null : el("label", { class: "name", for: `f-${f.name}` },
          f.label || f.name, f.label ? el("code", { text: f.name }) : null,
          f.required ? el("span", { class: "req", title: "required", text: "*" }) : null, count);
        const hints = [f.help, f.type === "paragraphs" ? "A blank line between paragraphs." : "",
          f.type === "list" ? "One item per line." : ""].filter(Boolean).join(" ");
        return el("div", { class: "field", "data-field": f.name, "data-type": f.type }, label, control,
          hints ? el("p", { class: "help", text: hints }) : null);
      }));
    }

    form.addEventListener("input", scheduleSend);
    form.addEventListener("change", scheduleSend);
    form.addEventListener("submit", (e) => e.preventDefault());
    document.getElementById("data-reset").addEventListener("click", () => {
      clearTimeout(sendTimer);  // a change event from leaving a field must not re-send old values
      sendJSON("DELETE", `/api/layouts/${enc(slug)}/data`).catch((err) => setStatus("problem", err.message));
    });

    // apply a state from the server
    function apply(l) {
      if (l.slug !== slug) return;
      state = l;
      document.getElementById("layout-title").textContent = l.title;
      const wanted = new Set(l.sizes.map((s) => s.size));
      cards.forEach((card, size) => { if (!wanted.has(size)) { card.node.remove(); cards.delete(size); } });
      l.sizes.forEach((s, index) => {
        let card = cards.get(s.size);
        if (!card) { card = makeCard(s); cards.set(s.size, card); }
        if (sizesNode.children[index] !== card.node) sizesNode.insertBefore(card.node, sizesNode.children[index] || null);
        updateCard(card, s);
      });
      showProblem(l.problem);
      syncForm(l);
      refreshStatus();
    }

    applyTools();
    apply(state);
    connect({
      layout: apply,
      resync: () => api(`/api/layouts/${enc(slug)}`).then((r) => r.json()).then(apply),
    });
  }

  if (page === "gallery") galleryPage();
  else if (page === "layout") layoutPage();
})();
