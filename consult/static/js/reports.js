// Reports page: follow running PDF builds by polling their JSON status; the page works without it (Refresh link).
(function () {
  function poll(row) {
    var url = row.getAttribute("data-status-url");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        var progress = row.querySelector("[data-role=progress]");
        var percent = row.querySelector("[data-role=percent]");
        var state = row.querySelector("[data-role=state]");
        if (progress) { progress.value = job.progress; progress.textContent = job.progress + " %"; }
        if (percent) { percent.textContent = job.progress + " %"; }
        // The label comes translated from the server: the script holds no words of its own.
        if (state) { state.textContent = job.state_label; }
        if (job.state === "done" || job.state === "failed" || job.is_stalled) {
          window.location.reload();
        } else {
          window.setTimeout(function () { poll(row); }, 1500);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(row); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var rows = document.querySelectorAll("tr[data-status-url][data-state=queued], tr[data-status-url][data-state=running]");
    Array.prototype.forEach.call(rows, function (row) { poll(row); });
  });
})();
