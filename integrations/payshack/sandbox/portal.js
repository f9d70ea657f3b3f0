// PayShack portal: fetches one page of transactions and draws the table; the pager and filters re-fetch.
(function () {
  "use strict";
  const kind = document.body.dataset.kind;
  const params = new URLSearchParams(window.location.search);
  const state = {
    page: parseInt(params.get("page") || "1", 10),
    limit: params.get("limit") || "25",
    dateFrom: params.get("dateFrom") || "",
    dateTo: params.get("dateTo") || "",
    totalPages: 1,
  };
  const info = document.getElementById("page-info");
  const table = document.querySelector("table");
  document.getElementById("date-from").value = state.dateFrom;
  document.getElementById("date-to").value = state.dateTo;
  document.getElementById("page-size").value = state.limit;

  function cell(tag, text) {
    const node = document.createElement(tag);
    node.textContent = text;
    return node;
  }

  function draw(feed) {
    const head = document.createElement("tr");
    feed.columns.forEach((name) => head.appendChild(cell("th", name)));
    table.tHead.replaceChildren(head);
    const body = document.createDocumentFragment();
    feed.rows.forEach((values) => {
      const row = document.createElement("tr");
      values.forEach((value) => row.appendChild(cell("td", value)));
      body.appendChild(row);
    });
    table.tBodies[0].replaceChildren(body);
    state.totalPages = feed.totalPages;
    info.textContent = `Page ${feed.page} of ${Math.max(feed.totalPages, 1)} · ${feed.total} records`;
    info.dataset.page = String(feed.page);
    info.dataset.totalPages = String(feed.totalPages);
    info.dataset.state = "ready";
    document.getElementById("prev").disabled = feed.page <= 1;
    document.getElementById("next").disabled = feed.page >= feed.totalPages;
  }

  function load() {
    info.dataset.state = "loading";
    const query = new URLSearchParams({ page: state.page, limit: state.limit });
    if (state.dateFrom) query.set("dateFrom", state.dateFrom);
    if (state.dateTo) query.set("dateTo", state.dateTo);
    fetch(`/portal/feed/${kind}?${query}`, { credentials: "same-origin" })
      .then((response) => {
        if (response.status === 401) {
          window.location.assign("/portal/login");
          return null;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((feed) => feed && draw(feed))
      .catch((error) => {
        info.textContent = `Could not load transactions: ${error.message}`;
        info.dataset.state = "error";
      });
  }

  document.getElementById("filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.dateFrom = document.getElementById("date-from").value;
    state.dateTo = document.getElementById("date-to").value;
    state.limit = document.getElementById("page-size").value;
    state.page = 1;
    load();
  });
  document.getElementById("prev").addEventListener("click", () => {
    if (state.page > 1) { state.page -= 1; load(); }
  });
  document.getElementById("next").addEventListener("click", () => {
    if (state.page < state.totalPages) { state.page += 1; load(); }
  });
  load();
})();
