// The compare page's chart (rates with intervals, per technique) and what sets each group apart,
// from /api/compare and /api/distinctive under the page's own query.
(async () => {
  "use strict";
  const query = new URLSearchParams(
    Array.from(new URLSearchParams(window.location.search)).filter(([, value]) => value.trim()),
  );
  const getJson = async (path) => {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  };
  const techniques = Object.fromEntries((await getJson("/api/techniques")).map((t) => [t.label, t]));
  const nameOf = (label) => (techniques[label] ? techniques[label].name : label);
  const font = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 12, color: "#333" };
  const A = "#1f4e79", B = "#c25b00";

  const comparison = await getJson(`/api/compare?${query}`);
  const rows = comparison.techniques.slice().reverse();
  const names = rows.map((r) => nameOf(r.technique) + (r.credible ? " ●" : ""));
  const side = (key, label, color, offset) => ({
    type: "scatter",
    mode: "markers",
    name: `${label}: ${comparison[key].filters}`,
    y: names,
    x: rows.map((r) => r[key].rate_per_1000_words),
    error_x: {
      type: "data",
      symmetric: false,
      array: rows.map((r) => r[key].high - r[key].rate_per_1000_words),
      arrayminus: rows.map((r) => r[key].rate_per_1000_words - r[key].low),
      color,
      thickness: 1.5,
      width: 3,
    },
    marker: { color, size: 8, symbol: key === "a" ? "circle" : "diamond" },
    offsetgroup: key,
    customdata: rows.map((r) => [r[key].low, r[key].high, r[key].spans]),
    hovertemplate: `<b>%{y}</b><br>${label}: %{x:.2f} per 1,000 words [%{customdata[0]:.2f}–%{customdata[1]:.2f}]<br>%{customdata[2]} spans<extra></extra>`,
  });
  const chart = document.getElementById("chart-compare");
  await Plotly.newPlot(
    chart,
    [side("a", "A", A), side("b", "B", B)],
    {
      font,
      scattermode: "group",
      margin: { l: 10, r: 16, t: 8, b: 10 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { title: { text: "spans per 1,000 words (● credible difference)" }, rangemode: "tozero", automargin: true },
      yaxis: { automargin: true },
      legend: { orientation: "h", x: 0, y: -0.12, yanchor: "top" },
    },
    { displayModeBar: false, responsive: true },
  );
  chart.dataset.rendered = "1";

  const distinctive = await getJson(`/api/distinctive?${query}&limit=12`);
  const list = (items, isTechnique) => {
    const ul = document.createElement("ul");
    ul.className = "distinct";
    for (const item of items) {
      const li = document.createElement("li");
      const term = document.createElement(isTechnique ? "span" : "b");
      if (isTechnique) {
        term.className = "pill";
        term.style.background = techniques[item.term] ? techniques[item.term].color : "#ddd";
        term.textContent = nameOf(item.term);
      } else {
        term.textContent = `“${item.term}”`;
      }
      li.append(term, ` z = ${item.z.toFixed(1)} (${item.count_a} in A, ${item.count_b} in B)`);
      const examples = document.createElement("div");
      examples.className = "muted small";
      for (const example of item.examples) {
        const link = Object.assign(document.createElement("a"), {
          href: `/articles/${example.article_id}`,
          textContent: `“${example.text.slice(0, 90)}”`,
        });
        examples.append(link, " ");
      }
      li.append(examples);
      ul.append(li);
    }
    return ul;
  };
  for (const key of ["a", "b"]) {
    const box = document.getElementById(`distinctive-${key}`);
    const heading = Object.assign(document.createElement("h3"), {
      textContent: `${key.toUpperCase()} uses more`,
    });
    const parts = [heading];
    const t = distinctive.techniques[key], w = distinctive.words[key];
    if (t.length) parts.push(list(t, true));
    if (w.length) parts.push(list(w, false));
    if (!t.length && !w.length) {
      parts.push(Object.assign(document.createElement("p"), { className: "muted", textContent: "Nothing credible." }));
    }
    box.replaceChildren(...parts);
    box.dataset.rendered = "1";
  }
})().catch((error) => {
  for (const box of document.querySelectorAll("#chart-compare, #distinctive-a, #distinctive-b")) {
    box.replaceChildren(Object.assign(document.createElement("p"), {
      className: "error",
      textContent: `Could not draw this part: ${error.message}`,
    }));
  }
});
