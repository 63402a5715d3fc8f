/* Admin forms for all-day use: a text area grows with its text (never below the rows
   the admin gave it, never above most of the screen), so a long description is read
   without scrolling inside a box. Works in every browser; without it, the rows stay. */
(function () {
  "use strict";
  function fit(area) {
    var style = window.getComputedStyle(area);
    var line = parseFloat(style.lineHeight) || 1.4 * parseFloat(style.fontSize) || 18;
    var padding = parseFloat(style.paddingTop) + parseFloat(style.paddingBottom);
    var border = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
    // Heights below are of the whole box (border and padding included).
    var least = (area.rows || 2) * line + padding + border;
    var most = Math.max(least, window.innerHeight * 0.7);
    area.style.height = "auto";
    var wanted = area.scrollHeight + border; // scrollHeight counts the padding, not the border
    var box = Math.min(most, Math.max(least, wanted));
    area.style.height = (style.boxSizing === "border-box" ? box : box - padding - border) + "px";
  }
  function fitAll(root) {
    Array.prototype.forEach.call(root.querySelectorAll("textarea.vLargeTextField"), fit);
  }
  function start() {
    fitAll(document);
    document.addEventListener("input", function (event) {
      if (event.target.matches && event.target.matches("textarea.vLargeTextField")) { fit(event.target); }
    });
    // A row added to an inline (« Ajouter un objet … ») brings new text areas.
    document.addEventListener("formset:added", function (event) { fitAll(event.target); });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
}());
