// The article page: technique popovers, filtering by technique, jumping to a finding.
// Article text is only ever set with textContent, never parsed as HTML.
(() => {
  "use strict";
  const BAND = 3; // px per extra overlapping technique, as in the HTML report
  const spans = JSON.parse(document.getElementById("spans-data").textContent);
  const doc = document.getElementById("doc");
  const popover = document.getElementById("popover");
  const marks = Array.from(doc.querySelectorAll("mark.hl"));
  const enabled = new Set(spans.map((s) => s.technique));
  let pinned = null;

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const indices = (mark) => mark.dataset.spans.split(" ").map(Number);
  const slider = document.getElementById("min-confidence");
  let minScore = slider ? Number(slider.value) / 100 : 0;
  const voiceFilter = document.getElementById("voice");
  let voice = voiceFilter ? voiceFilter.value : "all";
  const shown = (span) =>
    enabled.has(span.technique) && span.score >= minScore && (voice === "all" || span.voice === voice);
  const active = (mark) => indices(mark).filter((i) => shown(spans[i]));

  const rejected = (i) => spans[i].status === "rejected";

  function paint(mark) {
    const on = active(mark);
    mark.classList.toggle("off", on.length === 0);
    // Struck through wherever a rejected span lies, also under a technique still shown.
    mark.classList.toggle("struck", on.some(rejected));
    mark.classList.toggle("only-rejected", on.length > 0 && on.every(rejected));
    mark.tabIndex = on.length ? 0 : -1;
    const colors = on.filter((i) => !rejected(i)).map((i) => spans[i].color);
    mark.style.background = colors.length ? colors[0] : "transparent";
    const bands = colors.slice(1).map((c, d) => `inset 0 -${BAND * (d + 1)}px 0 ${c}`);
    mark.style.boxShadow = bands.join(",");
    mark.style.paddingBottom = bands.length ? `${BAND * bands.length}px` : "";
  }

  function entry(span) {
    const box = element("div", "pop-entry");
    const head = element("div", "pop-head");
    const swatch = element("span", "swatch");
    swatch.style.background = span.color;
    head.append(swatch, element("strong", "", span.name), element("span", "conf", `${span.confidence} confidence`));
    box.append(head, element("p", "pop-def", span.definition));
    if (span.voice) box.append(element("p", "pop-voice", whoAndWhom(span)));
    if (span.status && span.status !== "predicted") box.append(element("p", "pop-status", span.status));
    return box;
  }

  function whoAndWhom(span) {
    const said = span.voice === "quoted" ? `Quoted: ${span.speaker || "unnamed speaker"}` : "The author's words";
    return span.target ? `${said} · aimed at ${span.target}` : said;
  }

  function show(mark) {
    const on = active(mark);
    if (!on.length) return;
    popover.replaceChildren(...on.map((i) => entry(spans[i])));
    popover.hidden = false;
    const rect = mark.getClientRects()[0] || mark.getBoundingClientRect();
    const width = popover.offsetWidth;
    const left = Math.min(Math.max(rect.left, 8), window.innerWidth - width - 8);
    let top = rect.bottom + 8;
    if (top + popover.offsetHeight > window.innerHeight - 8) top = rect.top - popover.offsetHeight - 8;
    popover.style.left = `${left + window.scrollX}px`;
    popover.style.top = `${Math.max(top, 8) + window.scrollY}px`;
  }

  function hide() {
    popover.hidden = true;
    if (pinned) pinned.classList.remove("pinned");
    pinned = null;
  }

  function pin(mark) {
    hide();
    pinned = mark;
    mark.classList.add("pinned");
    show(mark);
  }

  doc.addEventListener("mouseover", (e) => {
    const mark = e.target.closest("mark.hl");
    if (mark && !pinned) show(mark);
  });
  doc.addEventListener("mouseout", (e) => {
    if (e.target.closest("mark.hl") && !pinned) popover.hidden = true;
  });
  doc.addEventListener("focusin", (e) => {
    const mark = e.target.closest("mark.hl");
    if (mark && !pinned) show(mark);
  });
  doc.addEventListener("click", (e) => {
    const mark = e.target.closest("mark.hl");
    if (!mark || mark.classList.contains("off")) return;
    e.stopPropagation();
    if (pinned === mark) hide();
    else pin(mark);
  });
  doc.addEventListener("keydown", (e) => {
    const mark = e.target.closest("mark.hl");
    if (mark && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      pin(mark);
    }
  });
  document.addEventListener("click", (e) => {
    if (pinned && !popover.contains(e.target)) hide();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") hide();
  });

  function refilter() {
    marks.forEach(paint);
    document.querySelectorAll("#findings li").forEach((li) => {
      li.hidden = !shown(spans[Number(li.dataset.span)]);
    });
    const count = document.getElementById("hidden-count");
    if (count) {
      const under = spans.filter((span) => span.score < minScore).length;
      count.textContent = under
        ? `${under} finding${under === 1 ? "" : "s"} under ${Math.round(minScore * 100)}% confidence hidden: move the slider to 0 to see them.`
        : "";
    }
    hide();
  }

  if (voiceFilter) {
    voiceFilter.addEventListener("change", () => {
      voice = voiceFilter.value;
      refilter();
    });
  }

  if (slider) {
    slider.addEventListener("input", () => {
      minScore = Number(slider.value) / 100;
      document.getElementById("min-confidence-value").textContent = `${slider.value}%`;
      refilter();
    });
  }

  const legend = document.getElementById("legend");
  if (legend) {
    legend.addEventListener("change", (e) => {
      if (e.target.checked) enabled.add(e.target.value);
      else enabled.delete(e.target.value);
      refilter();
    });
    document.querySelectorAll("[data-all]").forEach((button) => {
      button.addEventListener("click", () => {
        const on = button.dataset.all === "1";
        legend.querySelectorAll("input").forEach((box) => {
          box.checked = on;
          if (on) enabled.add(box.value);
          else enabled.delete(box.value);
        });
        refilter();
      });
    });
  }

  document.querySelectorAll("#findings li").forEach((li) => {
    li.querySelector("button").addEventListener("click", (e) => {
      e.stopPropagation();
      const index = li.dataset.span;
      const mark = marks.find((m) => m.dataset.spans.split(" ").includes(index));
      if (!mark) return;
      mark.scrollIntoView({ block: "center" });
      mark.classList.add("flash");
      setTimeout(() => mark.classList.remove("flash"), 1200);
      pin(mark);
    });
  });

  document.getElementById("delete-form").addEventListener("submit", (e) => {
    if (!window.confirm("Delete this article from the corpus?")) e.preventDefault();
  });

  refilter();
  document.body.dataset.ready = "1";
})();
