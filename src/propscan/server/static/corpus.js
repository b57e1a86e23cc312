// The corpus page's charts, drawn with plotly.js from /api/stats under the page's filters.
(async () => {
  "use strict";
  // the page's filters, without the page number and the empty ones (a menu left at "any")
  const filters = new URLSearchParams(
    Array.from(new URLSearchParams(window.location.search)).filter(([key, value]) => value && key !== "page"),
  );

  const getJson = async (path) => {
    const response = await fetch(path, { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.json();
  };
  const stats = (by, overrides = {}) => {
    const query = new URLSearchParams(filters);
    query.set("by", by);
    for (const [key, value] of Object.entries(overrides)) {
      if (value === null) query.delete(key);
      else query.set(key, value);
    }
    return getJson(`/api/stats?${query}`);
  };
  const linkTo = (key, value) => {
    const query = new URLSearchParams(filters);
    query.set(key, value);
    window.location.href = `/corpus?${query}`;
  };

  const font = { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 12, color: "#333" };
  const layout = (extra) => ({
    font,
    margin: { l: 10, r: 16, t: 8, b: 10 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    hoverlabel: { font },
    ...extra,
  });
  const config = { displayModeBar: false, responsive: true };

  const techniques = await getJson("/api/techniques");

  // Reviewers' verdicts per technique: the model's precision in the analyst's own domain.
  async function drawReview() {
    const chart = document.getElementById("chart-review");
    const rows = (await getJson(`/api/review/stats?${filters}`))
      .filter((r) => r.accepted + r.rejected + r.relabelled + r.added > 0)
      .reverse();
    if (!rows.length) {
      chart.replaceChildren(Object.assign(document.createElement("p"), {
        className: "muted",
        textContent: "No span reviewed yet: open an article, or the review queue, to check the model.",
      }));
      chart.dataset.rendered = "1";
      return;
    }
    const share = (r) => (r.precision === null ? "no prediction reviewed" : `${Math.round(r.precision * 100)}% accepted`);
    const bar = (key, name, color) => ({
      type: "bar",
      orientation: "h",
      name,
      x: rows.map((r) => r[key]),
      y: rows.map((r) => nameOf(r.technique)),
      marker: { color, line: { color: "rgba(0,0,0,.25)", width: 1 } },
      customdata: rows.map(share),
      hovertemplate: `<b>%{y}</b><br>%{x} ${name.toLowerCase()}<br>%{customdata}<extra></extra>`,
    });
    await Plotly.newPlot(
      chart,
      [
        bar("accepted", "Accepted", "#2e7d4f"),
        bar("relabelled", "Relabelled", "#e0a526"),
        bar("rejected", "Rejected", "#b3261e"),
        bar("added", "Added by reviewers", "#5b7fbf"),
      ],
      layout({
        barmode: "stack",
        yaxis: { automargin: true },
        xaxis: { automargin: true, title: { text: "spans" }, rangemode: "tozero" },
        legend: { orientation: "h", x: 0, y: -0.2, yanchor: "top" },
      }),
      config,
    );
    chart.dataset.rendered = "1";
  }
  const info = Object.fromEntries(techniques.map((t) => [t.label, t]));
  // Plotly reads a little HTML in labels: show untrusted names as plain text.
  const plain = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const nameOf = (label) => plain(info[label] ? info[label].name : label);
  const colorOf = (label) => (info[label] ? info[label].color : "#ddd");

  // Spans per key (technique or category) as horizontal bars, most spans on top.
  const spanBars = async (id, rows, name, color) => {
    const ranked = rows.slice().reverse();
    const chart = document.getElementById(id);
    await Plotly.newPlot(
      chart,
      [{
        type: "bar",
        orientation: "h",
        x: ranked.map((r) => r.spans),
        y: ranked.map((r) => name(r.key)),
        marker: { color: ranked.map((r) => color(r.key)), line: { color: "rgba(0,0,0,.25)", width: 1 } },
        customdata: ranked.map((r) => [r.articles, r.per_article, r.key]),
        hovertemplate: "<b>%{y}</b><br>%{x} spans in %{customdata[0]} articles<br>%{customdata[1]:.2f} per article<extra></extra>",
      }],
      layout({
        yaxis: { automargin: true },
        xaxis: { automargin: true, title: { text: "spans" }, rangemode: "tozero" },
      }),
      config,
    );
    chart.dataset.rendered = "1";
    return chart;
  };

  const byTechnique = (await stats("technique")).rows;
  const techniqueChart = await spanBars("chart-techniques", byTechnique, nameOf, colorOf);
  techniqueChart.on("plotly_click", (e) => linkTo("technique", e.points[0].customdata[2]));
  await spanBars("chart-categories", (await stats("category")).rows, plain, () => "#1f4e79");

  const bySource = (await stats("source")).rows.slice(0, 12);
  const sourceChart = document.getElementById("chart-sources");
  await Plotly.newPlot(
    sourceChart,
    [{
      type: "bar",
      x: bySource.map((r) => plain(r.key)),
      y: bySource.map((r) => r.per_1000_words),
      error_y: {
        type: "data",
        symmetric: false,
        array: bySource.map((r) => r.per_1000_words_high - r.per_1000_words),
        arrayminus: bySource.map((r) => r.per_1000_words - r.per_1000_words_low),
        color: "#555",
        thickness: 1.2,
      },
      marker: { color: "#1f4e79" },
      customdata: bySource.map((r) => [r.articles, r.spans, r.key, r.per_1000_words_low, r.per_1000_words_high]),
      hovertemplate: "<b>%{x}</b><br>%{y:.2f} spans per 1,000 words [%{customdata[3]:.2f}–%{customdata[4]:.2f}]<br>%{customdata[0]} articles, %{customdata[1]} spans<extra></extra>",
    }],
    layout({
      xaxis: { automargin: true, type: "category" },
      yaxis: { automargin: true, title: { text: "spans per 1,000 words" }, rangemode: "tozero" },
    }),
    config,
  );
  sourceChart.dataset.rendered = "1";
  sourceChart.on("plotly_click", (e) => linkTo("source", e.points[0].customdata[2]));

  // Rates by month with intervals; a month with few articles is a hollow point, not joined to
  // its neighbours, so that a line never rests on two or three articles.
  const palette = ["#1f4e79", "#c25b00", "#2e7d32", "#7b1fa2", "#b71c1c", "#00838f", "#5d4037", "#546e7a"];
  const trendChart = document.getElementById("chart-trends");
  const trendBy = document.getElementById("trend-by");
  async function drawTrends() {
    const query = new URLSearchParams(filters);
    if (trendBy.value) query.set("by", trendBy.value);
    if (filters.get("technique")) query.set("of", filters.get("technique"));
    query.delete("technique");
    const points = await getJson(`/api/trends?${query}`);
    if (!points.length) {
      trendChart.replaceChildren(Object.assign(document.createElement("p"), {
        className: "muted",
        textContent: "No stored article has a date: give one when you analyse it.",
      }));
      trendChart.dataset.rendered = "1";
      return;
    }
    const groups = [...new Set(points.map((p) => p.group))].slice(0, palette.length);
    const traces = [];
    groups.forEach((group, n) => {
      const mine = points.filter((p) => p.group === group);
      const color = palette[n];
      const bars = (rows) => ({
        type: "data",
        symmetric: false,
        array: rows.map((p) => (p ? p.high - p.rate_per_1000_words : null)),
        arrayminus: rows.map((p) => (p ? p.rate_per_1000_words - p.low : null)),
        color,
        thickness: 1,
        width: 2,
      });
      const solid = mine.map((p) => (p.few ? null : p));
      traces.push({
        type: "scatter",
        mode: "lines+markers",
        name: group === "all" ? "all articles" : group,
        legendgroup: group,
        x: mine.map((p) => p.month),
        y: solid.map((p) => (p ? p.rate_per_1000_words : null)),
        connectgaps: false,
        line: { color, width: 2 },
        marker: { color, size: 6 },
        error_y: bars(solid),
        customdata: mine.map((p) => [p.articles, p.low, p.high]),
        hovertemplate: `<b>${group}</b> %{x}<br>%{y:.2f} per 1,000 words [%{customdata[1]:.2f}–%{customdata[2]:.2f}]<br>%{customdata[0]} articles<extra></extra>`,
      });
      const thin = mine.map((p) => (p.few ? p : null));
      traces.push({
        type: "scatter",
        mode: "markers",
        name: `${group === "all" ? "all articles" : group}: under 10 articles`,
        legendgroup: group,
        showlegend: n === 0,
        x: mine.map((p) => p.month),
        y: thin.map((p) => (p ? p.rate_per_1000_words : null)),
        marker: { color: "rgba(0,0,0,0)", size: 7, line: { color, width: 1.5 } },
        opacity: 0.6,
        error_y: bars(thin),
        customdata: mine.map((p) => [p.articles, p.low, p.high]),
        hovertemplate: `<b>${group}</b> %{x}: only %{customdata[0]} articles<br>%{y:.2f} per 1,000 words [%{customdata[1]:.2f}–%{customdata[2]:.2f}]<extra></extra>`,
      });
    });
    await Plotly.react(
      trendChart,
      traces,
      layout({
        xaxis: { automargin: true, type: "category", categoryorder: "category ascending" },
        yaxis: { automargin: true, rangemode: "tozero", title: { text: "spans per 1,000 words" } },
        legend: { orientation: "h", x: 0, y: -0.15, yanchor: "top" },
      }),
      config,
    );
    trendChart.dataset.rendered = "1";
  }
  trendBy.addEventListener("change", () => drawTrends().catch((error) => {
    trendChart.replaceChildren(Object.assign(document.createElement("p"), { className: "error", textContent: `Could not draw the trends: ${error.message}` }));
  }));
  await drawTrends();

  await drawReview();

  const months = (await stats("month", { technique: null })).rows.filter((r) => r.key !== "(unknown)");
  const monthChart = document.getElementById("chart-months");
  if (!months.length) {
    monthChart.replaceChildren(Object.assign(document.createElement("p"), {
      className: "muted",
      textContent: "No stored article has a date: give one when you analyse it.",
    }));
    monthChart.dataset.rendered = "1";
    return;
  }
  // Only the months that have dated articles: one stray old article must not squeeze the rest.
  const calendar = months.map((r) => r.key);
  const totals = Object.fromEntries(months.map((r) => [r.key, r.articles]));
  const labels = filters.get("technique") ? [filters.get("technique")] : byTechnique.map((r) => r.key);
  const perTechnique = await Promise.all(labels.map((label) => stats("month", { technique: label })));
  const traces = labels.map((label, n) => {
    const counts = Object.fromEntries(perTechnique[n].rows.map((r) => [r.key, r.articles]));
    return {
      type: "bar",
      name: nameOf(label),
      x: calendar,
      y: calendar.map((key) => (totals[key] ? (counts[key] || 0) / totals[key] : null)),
      marker: { color: colorOf(label), line: { color: "rgba(0,0,0,.35)", width: 1 } },
      hovertemplate: `<b>${nameOf(label)}</b><br>%{x}: %{y:.0%} of articles<extra></extra>`,
    };
  });
  await Plotly.newPlot(
    monthChart,
    traces,
    layout({
      barmode: "group",
      xaxis: { automargin: true, type: "category" },
      yaxis: {
        automargin: true,
        tickformat: ".0%",
        rangemode: "tozero",
        title: { text: "articles using it" },
      },
      legend: { orientation: "h", x: 0, y: -0.15, yanchor: "top" },
    }),
    config,
  );
  monthChart.dataset.rendered = "1";
})().catch((error) => {
  for (const chart of document.querySelectorAll(".chart")) {
    chart.replaceChildren(Object.assign(document.createElement("p"), {
      className: "error",
      textContent: `Could not draw the charts: ${error.message}`,
    }));
  }
});
