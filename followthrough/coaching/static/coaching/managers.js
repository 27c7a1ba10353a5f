// The managers' comparison chart: coaching hours per rep per month against the 3-5 hours
// guidance, and the share of 1:1s held. Data from a json_script element (no inline script).
(function () {
  "use strict";
  const lang = document.documentElement.lang || "en";

  function draw() {
    const element = document.getElementById("managers-chart-data");
    const canvas = document.getElementById("managers-chart");
    if (!element || !canvas || typeof Chart === "undefined") return;
    const data = JSON.parse(element.textContent);
    const number = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    const colour = function (v) {
      if (v === null) return "#c8ced6";
      return v < data.low ? "#f0b429" : v > data.high ? "#5d6b7a" : "#2e7d5b";
    };
    new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: data.names.hours, data: data.hours, yAxisID: "y",
            backgroundColor: data.hours.map(colour), borderRadius: 3 },
          { type: "line", label: data.names.guidance, data: data.labels.map(function () { return data.low; }),
            borderColor: "#b42318", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, yAxisID: "y" },
          { type: "line", label: data.names.guidance, data: data.labels.map(function () { return data.high; }),
            borderColor: "#b42318", borderDash: [6, 4], borderWidth: 1.5, pointRadius: 0, yAxisID: "y" },
          { type: "line", label: data.names.held, data: data.held, yAxisID: "y2",
            borderColor: "#1f4e79", backgroundColor: "#1f4e79", borderWidth: 0, pointRadius: 5, showLine: false, clip: 8 }
        ]
      },
      options: {
        locale: lang,
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 8 } },
        plugins: {
          legend: { position: "bottom", labels: { boxWidth: 14, filter: function (item) { return item.datasetIndex !== 2; } } },
          tooltip: { callbacks: { label: function (item) {
            const v = item.raw === null ? "—" : number.format(item.raw);
            return item.dataset.label + ": " + v;
          } } }
        },
        scales: {
          x: { grid: { display: false }, ticks: { autoSkip: false, maxRotation: 60 } },
          y: { beginAtZero: true, suggestedMax: data.high + 1, position: "left" },
          y2: { beginAtZero: true, max: 100, position: "right", grid: { display: false },
                ticks: { callback: function (v) { return number.format(v) + " %"; } } }
        }
      }
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
