/* Every page. The list filters are a <details>: folded on a phone, always open from a
   tablet's width (CSS does it where ::details-content is supported; this covers the
   other browsers). */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function unfold() {
    if (wide.matches) {
      document.querySelectorAll("details.filters-panel").forEach(function (panel) { panel.open = true; });
    }
  }
  unfold();
  if (wide.addEventListener) { wide.addEventListener("change", unfold); }
}());

/* A form sent back with errors: the focus goes to its error summary, which a screen reader
   reads first (templates/includes/_error_summary.html). A link of the summary moves the
   focus to its field and shows the field's label or legend, not just the box. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link && document.getElementById(link.getAttribute("href").slice(1));
    if (!field) { return; }
    var group = (field.type === "checkbox" || field.type === "radio") && field.closest("fieldset");
    var caption = group ? group.querySelector("legend") : field.labels && field.labels[0];
    event.preventDefault();
    (caption || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
}());
