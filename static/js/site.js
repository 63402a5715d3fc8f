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
