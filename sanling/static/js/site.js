// Loaded on every page. The Content-Security-Policy runs no inline handler, so behaviour a template asks
// for is a data attribute handled here: a menu that submits its form when changed
// (data-submit-on-change), a form that asks before it is sent (data-confirm="question") and a print
// button (data-print).
// Sanling.escapeHtml is the one escape for the rare value that must travel as an HTML string (ECharts
// tooltips); everywhere else page scripts build the DOM with textContent.
(function () {
  "use strict";

  const ENTITIES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

  function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]);
  }
  window.Sanling = Object.freeze({ escapeHtml: escapeHtml });

  document.addEventListener("change", (event) => {
    if (event.target.matches("select[data-submit-on-change]")) event.target.form.submit();
  });

  // A button that prints the page (the case sheet): data-print.
  document.addEventListener("click", (event) => {
    if (event.target.closest("[data-print]")) window.print();
  });

  document.addEventListener("submit", (event) => {
    const question = event.target.dataset.confirm;
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();

// -- reports (issue 16): a report's page while its job runs ------------------------------------------------
// The page of a queued report (data-report-status="queued") asks its job's status URL every two seconds and
// reloads once the job has ended, which then shows the download or the failure.
(function () {
  "use strict";
  const facts = document.querySelector("[data-report-status='queued'][data-job-status-url]");
  if (!facts) return;
  let tries = 0;
  function poll() {
    tries += 1;
    fetch(facts.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((job) => {
        if (job.status === "queued" || job.status === "running") window.setTimeout(poll, 2000);
        else window.location.reload();
      })
      .catch(() => window.setTimeout(poll, Math.min(30000, 2000 * tries)));
  }
  window.setTimeout(poll, 1000);
})();
// -- end reports ---------------------------------------------------------------------------------------------
