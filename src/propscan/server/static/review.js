// The article page's review: accept, reject (and restore), relabel, add a selected fragment,
// mark the article reviewed; keys n/p, a, r, t. Each change goes to the REST API, then the
// page reloads from the store, which stays the one record of the review.
(() => {
  "use strict";
  const doc = document.getElementById("doc");
  const article = doc.dataset.article;
  const items = Array.from(document.querySelectorAll("#findings li"));
  const errorBox = document.getElementById("review-error");
  const addTechnique = document.getElementById("add-technique");
  const addButton = document.getElementById("add-button");
  const addSelection = document.getElementById("add-selection");
  let current = null;
  let selected = null;

  async function send(method, path, body) {
    errorBox.hidden = true;
    const response = await fetch(`/api/articles/${article}${path}`, {
      method,
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body || {}),
    });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      const detail = answer.detail;
      errorBox.textContent = typeof detail === "string" ? detail : `could not save (${response.status})`;
      errorBox.hidden = false;
      return false;
    }
    return true;
  }
  const remember = `propscan-review-${article}`;
  const reload = (id) => {
    if (id) window.sessionStorage.setItem(remember, id);
    window.location.reload();
  };
  const review = async (li, change) => {
    if (await send("PATCH", `/spans/${li.dataset.id}`, change)) reload(li.dataset.id);
  };

  function choose(li, scroll = true) {
    if (current) current.classList.remove("current");
    current = li;
    if (!li) return;
    li.classList.add("current");
    if (!scroll) return;
    li.scrollIntoView({ block: "nearest" });
    const mark = Array.from(doc.querySelectorAll("mark.hl")).find((m) =>
      m.dataset.spans.split(" ").includes(li.dataset.span));
    if (mark) mark.scrollIntoView({ block: "center" });
  }
  const visible = () => items.filter((li) => !li.hidden);
  function step(by) {
    const shown = visible();
    if (!shown.length) return;
    const at = shown.indexOf(current);
    choose(shown[at < 0 ? 0 : (at + by + shown.length) % shown.length]);
  }

  items.forEach((li) => {
    li.querySelectorAll("[data-verdict]").forEach((button) => {
      button.addEventListener("click", () => review(li, { status: button.dataset.verdict }));
    });
    const select = li.querySelector("select.relabel");
    select.addEventListener("change", () => review(li, { technique: select.value }));
    li.addEventListener("click", () => choose(li));
  });

  document.getElementById("mark-reviewed").addEventListener("click", async () => {
    if (await send("POST", "/reviewed")) reload(null);
  });

  // Where a selection boundary falls in the article text, in characters (code points).
  const length = (text) => Array.from(text).length;
  function position(node, offset) {
    if (node === doc) {
      const child = doc.childNodes[offset];
      return child ? Number(child.dataset.at) : length(doc.textContent);
    }
    const piece = (node.nodeType === Node.TEXT_NODE ? node.parentElement : node).closest("[data-at]");
    if (!piece || !doc.contains(piece)) return null;
    const within = node.nodeType === Node.TEXT_NODE ? length(node.textContent.slice(0, offset)) : (offset ? length(piece.textContent) : 0);
    return Number(piece.dataset.at) + within;
  }
  const chars = Array.from(doc.textContent);
  function readSelection() {
    const selection = window.getSelection();
    selected = null;
    if (selection.rangeCount && !selection.isCollapsed) {
      const range = selection.getRangeAt(0);
      if (doc.contains(range.commonAncestorContainer)) {
        let start = position(range.startContainer, range.startOffset);
        let end = position(range.endContainer, range.endOffset);
        if (start !== null && end !== null) {
          while (start < end && /\s/.test(chars[start])) start += 1;
          while (end > start && /\s/.test(chars[end - 1])) end -= 1;
          if (start < end) selected = { start, end, text: chars.slice(start, end).join("") };
        }
      }
    }
    addTechnique.disabled = addButton.disabled = !selected;
    if (selected) addSelection.textContent = `“${selected.text.length > 120 ? `${selected.text.slice(0, 120)}…` : selected.text}”`;
  }
  document.addEventListener("selectionchange", readSelection);
  addButton.addEventListener("click", async () => {
    if (!selected) return;
    const body = { ...selected, technique: addTechnique.value };
    if (await send("POST", "/spans", body)) reload(null);
  });

  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, select, textarea")) return;
    const key = e.key.toLowerCase();
    if (key === "n" || key === "j") step(1);
    else if (key === "p" || key === "k") step(-1);
    else if (!current) return;
    else if (key === "a") review(current, { status: "accepted" });
    else if (key === "r") review(current, { status: current.dataset.status === "rejected" ? "accepted" : "rejected" });
    else if (key === "t") current.querySelector("select.relabel").focus();
    else return;
    e.preventDefault();
  });

  const last = window.sessionStorage.getItem(remember);
  window.sessionStorage.removeItem(remember);
  const target = items.find((li) => li.dataset.id === last || `#${li.id}` === window.location.hash);
  if (target) choose(target);
  else choose(items.find((li) => li.dataset.status === "predicted") || null, false);
  document.body.dataset.reviewReady = "1";
})();
