// Charts and small behaviours for the scorecard and dashboard pages.
// Data comes from json_script elements (the CSP forbids inline scripts);
// numbers are formatted for the page's language with Intl.
(function () {
  "use strict";

  const lang = document.documentElement.lang || "en";
  const COLOURS = { actual: "#1f4e79", target: "#5d6b7a", median: "#2e7d5b", bad: "#b42318", behind: "#f0b429" };

  function readJson(id) {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  // Figures arrive rounded as the page shows them (half to even, metrics/numbers.py):
  // tooltips show those decimals, as the page does (axis ticks: tickOptions below).
  function formatter(unit, currency) {
    if (unit === "currency" && currency) {
      return new Intl.NumberFormat(lang, { style: "currency", currency: currency, maximumFractionDigits: 0 });
    }
    const digits = unit === "ratio" ? 2 : unit === "percent" || unit === "days" ? 1 : 0;
    return new Intl.NumberFormat(lang, {
      minimumFractionDigits: digits,
      maximumFractionDigits: Math.max(digits, 1)
    });
  }

  function suffix(unit) {
    return unit === "percent" ? " %" : "";
  }

  // Decimals needed to write `step` exactly (0.25 needs 2, 0.2 needs 1, 5 needs 0).
  function decimalsOf(step) {
    for (let digits = 0; digits < 4; digits++) {
      const scaledStep = step * Math.pow(10, digits);
      if (Math.abs(scaledStep - Math.round(scaledStep)) < 1e-6) return digits;
    }
    return 4;
  }

  // Axis ticks: as many decimals as the step between two ticks needs, so that two
  // ticks never read the same ("€0, €1, €1"); counts and money step by whole units.
  function tickOptions(unit, currency) {
    const whole = unit === "count" || unit === "currency" || unit === "seconds";
    return {
      precision: whole ? 0 : undefined,
      callback: function (value, index, ticks) {
        const step = ticks.length > 1 ? Math.abs(ticks[1].value - ticks[0].value) : 1;
        const options = { minimumFractionDigits: 0, maximumFractionDigits: decimalsOf(step) };
        if (unit === "currency" && currency) {
          options.style = "currency";
          options.currency = currency;
        }
        return new Intl.NumberFormat(lang, options).format(value) + suffix(unit);
      }
    };
  }

  // Rates are kept as fractions (0.25) and read as percentages (25 %).
  function scaled(unit, values) {
    return unit === "percent" ? values.map(function (v) { return v === null ? null : v * 100; }) : values;
  }

  function drawTrends() {
    const data = readJson("scorecard-charts");
    if (!data || typeof Chart === "undefined") return;
    data.charts.forEach(function (chart) {
      const canvas = document.getElementById(chart.id);
      if (!canvas) return;
      const format = formatter(chart.unit, data.currency);
      const show = function (value) { return format.format(value) + suffix(chart.unit); };
      new Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            { label: data.names.actual, data: scaled(chart.unit, chart.actual), borderColor: COLOURS.actual,
              backgroundColor: COLOURS.actual, borderWidth: 2.5, pointRadius: 3, tension: 0.25, spanGaps: true },
            { label: data.names.target, data: scaled(chart.unit, chart.target), borderColor: COLOURS.target,
              backgroundColor: COLOURS.target, borderDash: [6, 4], borderWidth: 1.5, pointRadius: 4, pointStyle: "line", stepped: "middle" },
            { label: data.names.median, data: scaled(chart.unit, chart.median), borderColor: COLOURS.median,
              backgroundColor: COLOURS.median, borderDash: [2, 3], borderWidth: 2, pointRadius: 2, pointStyle: "rectRot", spanGaps: true }
          ]
        },
        options: {
          locale: lang,
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          interaction: { mode: "index", intersect: false },
          plugins: {
            legend: { position: "bottom", labels: { boxWidth: 18, usePointStyle: true } },
            tooltip: { callbacks: { label: function (item) {
              return item.dataset.label + ": " + (item.raw === null ? "—" : show(item.raw));
            } } }
          },
          scales: {
            x: { ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 18, maxTicksLimit: 6 }, grid: { display: false } },
            y: { beginAtZero: true, ticks: Object.assign({ maxTicksLimit: 5 }, tickOptions(chart.unit, data.currency)) }
          }
        }
      });
    });
  }

  function drawAttainment() {
    const data = readJson("dashboard-chart");
    if (!data || !data.id || typeof Chart === "undefined") return;
    const canvas = document.getElementById(data.id);
    if (!canvas) return;
    const percent = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    const show = function (value) { return percent.format(value) + " %"; };
    const behind = function (v) { return v !== null && v < data.expected; };
    // One legend entry per bar colour, each saying what the colour means.
    const barLegend = function () {
      const entries = [];
      const add = function (colour, sign) {
        entries.push({ text: data.names.attainment + " " + sign + " " + data.names.expected,
          fillStyle: colour, strokeStyle: colour, lineWidth: 0, datasetIndex: 0 });
      };
      if (data.values.some(function (v) { return v !== null && !behind(v); })) add(COLOURS.actual, "≥");
      if (data.values.some(behind)) add(COLOURS.behind, "<");
      return entries;
    };
    new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.names.attainment, data: data.values,
            backgroundColor: data.values.map(function (v) { return behind(v) ? COLOURS.behind : COLOURS.actual; }),
            borderRadius: 3 },
          { type: "line", label: data.names.expected, data: data.labels.map(function () { return data.expected; }),
            borderColor: COLOURS.bad, borderDash: [6, 4], borderWidth: 2, pointRadius: 0 }
        ]
      },
      options: {
        locale: lang,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: {
          legend: { position: "bottom", labels: { generateLabels: function (chart) {
            const line = Chart.defaults.plugins.legend.labels.generateLabels(chart)
              .filter(function (entry) { return entry.datasetIndex !== 0; });
            return barLegend().concat(line);
          } } },
          tooltip: { callbacks: { label: function (item) {
            return item.dataset.label + ": " + (item.raw === null ? "—" : show(item.raw));
          } } }
        },
        scales: { y: { beginAtZero: true, ticks: Object.assign({ maxTicksLimit: 6 }, tickOptions("percent")) }, x: { grid: { display: false } } }
      }
    });
  }

  function periodFields() {
    document.querySelectorAll("select[data-period-kind]").forEach(function (select) {
      const form = select.form;
      const update = function () {
        const custom = select.value === "custom";
        form.querySelectorAll("[data-custom-only]").forEach(function (el) { el.hidden = !custom; });
        form.querySelectorAll("[data-natural-only]").forEach(function (el) { el.hidden = custom; });
      };
      select.addEventListener("change", update);
      update();
    });
    document.querySelectorAll("select[data-team-switch]").forEach(function (select) {
      select.addEventListener("change", function () {
        window.location.href = select.value + window.location.search;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    periodFields();
    drawTrends();
    drawAttainment();
  });
})();
