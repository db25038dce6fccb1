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
