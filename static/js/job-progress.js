// A background job's page (templates/admin/jobs/job/progress.html): asks where the job
// stands every two seconds and updates the bar and the sentence; reloads the page once
// the job has ended, to show its result. Without JavaScript, the « Actualiser » link.
(function () {
  "use strict";
  var page = document.querySelector("[data-job]");
  if (!page) return;
  var url = page.getAttribute("data-status-url");
  var bar = page.querySelector("[data-job-bar]");
  var percent = page.querySelector("[data-job-percent]");
  var text = page.querySelector("[data-job-text]");
  var state = page.querySelector("[data-job-state]");

  function ask() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { window.setTimeout(ask, 5000); return; }
        if (status.finished) { window.location.reload(); return; }
        if (bar) { bar.value = status.percent; bar.textContent = status.percent + " %"; }
        if (percent) percent.textContent = status.percent + " %";
        if (text && text.textContent !== status.text) text.textContent = status.text;
        if (state) state.textContent = status.state_label;
        window.setTimeout(ask, 2000);
      })
      .catch(function () { window.setTimeout(ask, 5000); });
  }
  window.setTimeout(ask, 1000);
})();
