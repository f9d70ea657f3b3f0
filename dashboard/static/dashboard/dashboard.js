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
