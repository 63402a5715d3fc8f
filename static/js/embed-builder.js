/* /integrer/: the preview and the code follow the form. Each change asks the server for
   the same page (it reads the commune as people type it, and writes the code) and puts
   its preview, code and messages in place; the address bar follows, so the page can be
   shared or reloaded as it is. « Copier le code » copies the code (the text area stays
   for a copy by hand). Without JavaScript the form's button reloads the page. */
(function () {
  "use strict";
  var form = document.querySelector("[data-embed-form]");
  if (!form) { return; }
  var pending = null;

  function showCopy(root) {
    root.querySelectorAll("[data-copy-block]").forEach(function (block) { block.hidden = false; });
  }

  function refresh() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var url = form.getAttribute("action") + (query ? "?" + query : "");
    if (pending) { pending.abort(); }
    pending = new AbortController();
    fetch(url, {signal: pending.signal, headers: {"Accept": "text/html"}})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (part) {
          var replacement = fresh.getElementById(part.id);
          if (replacement) { part.innerHTML = replacement.innerHTML; }
        });
        ["id_commune", "id_nombre"].forEach(function (id) {  // their error state
          var field = document.getElementById(id), freshField = fresh.getElementById(id);
          if (!field || !freshField) { return; }
          ["aria-invalid", "aria-describedby"].forEach(function (name) {
            if (freshField.hasAttribute(name)) { field.setAttribute(name, freshField.getAttribute(name)); } else { field.removeAttribute(name); }
          });
        });
        showCopy(document);
        document.title = fresh.title;
        window.history.replaceState(null, "", url);
      })
      .catch(function (error) { if (error.name !== "AbortError") { form.submit(); } });
  }

  form.addEventListener("change", refresh);
  form.addEventListener("submit", function (event) { event.preventDefault(); refresh(); });

  showCopy(document);
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var code = document.getElementById(button.dataset.copyTarget);
    var status = button.parentNode.querySelector("[data-copy-status]");
    function done(ok) { status.textContent = ok ? "Code copié : collez-le dans votre page." : "Copie impossible : sélectionnez le code et copiez-le."; }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.value).then(function () { done(true); }, function () { code.select(); done(false); });
    } else {
      code.select();
      done(document.execCommand && document.execCommand("copy"));
    }
  });
}());
