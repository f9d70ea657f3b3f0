// The dashboard's trend chart: stacked bars of successful, failed and other transactions per hour or day.
// The numbers come from the page (json_script "trend-data"); Chart.js is served from our own static files.
(function () {
  "use strict";
  var canvas = document.getElementById("trend-chart");
  var source = document.getElementById("trend-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var series = [
    ["successful", data.success, "#3b8a4f"],
    ["failed", data.failed, "#ba2121"],
    ["other (pending, processing, refunded)", data.other, "#9aa5b1"],
  ];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: series.map(function (s) {
        return { label: s[0], data: s[1], backgroundColor: s[2], stack: "count" };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      interaction: { mode: "index", intersect: false },
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
    },
  });
})();

// The credit portfolio's chart (on the page for those who may see it): received and repaid per month.
(function () {
  "use strict";
  var canvas = document.getElementById("credit-portfolio-chart");
  var source = document.getElementById("credit-portfolio-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: "received (RUB)", data: data.receipts, backgroundColor: "#3b6ea8" },
        { label: "repaid (RUB)", data: data.expenses, backgroundColor: "#c0803a" },
      ],
    },
    options: { animation: false, responsive: true, interaction: { mode: "index", intersect: false },
               scales: { y: { beginAtZero: true } } },
  });
})();

// The forecast chart: actuals, the forecast, and its 80 % interval as a band (json_script "forecast-data").
(function () {
  "use strict";
  var canvas = document.getElementById("forecast-chart");
  var source = document.getElementById("forecast-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  function numbers(values) {
    return values.map(function (v) { return v === null ? null : Number(v); });
  }
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        { label: "interval (low)", data: numbers(data.lower), borderWidth: 0, pointRadius: 0, fill: false },
        { label: "interval (80 %)", data: numbers(data.upper), borderWidth: 0, pointRadius: 0, fill: "-1",
          backgroundColor: "rgba(64, 120, 192, 0.18)" },
        { label: "forecast", data: numbers(data.predicted), borderColor: "#4078c0", borderDash: [6, 4], fill: false },
        { label: "actual", data: numbers(data.actual), borderColor: "#333333", fill: false, spanGaps: false },
      ],
    },
    options: {
      animation: false,
      responsive: true,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { filter: function (item) { return item.text !== "interval (low)"; } } } },
      scales: { y: { beginAtZero: true } },
    },
  });
})();
