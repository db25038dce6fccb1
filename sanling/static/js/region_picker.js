// The account form's region picker: choosing a region from the search results or the tree (an htmx
// partial) writes its code into the form's region field; Enter in the search box searches, not submits.
(function () {
  "use strict";

  function picker(element) {
    return element.closest("[data-region-picker]");
  }

  document.addEventListener("click", function (event) {
    var choice = event.target.closest("[data-region-choice]");
    var clear = event.target.closest("[data-region-clear]");
    var button = choice || clear;
    if (!button || !picker(button)) {
      return;
    }
    var root = picker(button);
    root.querySelector("[data-region-code]").value = choice ? choice.dataset.code : "";
    // textContent, never innerHTML: the label is data
    root.querySelector("[data-region-chosen]").textContent = choice ? choice.dataset.label : root.dataset.emptyLabel || "—";
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-region-search]")) {
      event.preventDefault();
    }
  });
})();
