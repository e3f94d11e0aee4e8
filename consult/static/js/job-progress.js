// Follow background jobs (PDF builds, cluster suggestions, the scheduler, reviewer assignment) by polling their
// JSON status; the page reloads when the job ends. Without JavaScript the page refreshes itself (noscript meta).
(function () {
  function poll(box) {
    var url = box.getAttribute("data-status-url");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        var progress = box.querySelector("[data-role=progress]");
        var percent = box.querySelector("[data-role=percent]");
        var state = box.querySelector("[data-role=state]");
        if (progress) { progress.value = job.progress; progress.textContent = job.progress + " %"; }
        if (percent) { percent.textContent = job.progress + " %"; }
        if (state && job.state_label) { state.textContent = job.state_label.toUpperCase(); }
        if (job.state === "done" || job.state === "failed" || job.is_stalled) {
          window.location.reload();
        } else {
          window.setTimeout(function () { poll(box); }, 1500);
        }
      })
      .catch(function () { window.setTimeout(function () { poll(box); }, 5000); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var boxes = document.querySelectorAll("[data-status-url][data-state=queued], [data-status-url][data-state=running]");
    Array.prototype.forEach.call(boxes, function (box) { poll(box); });
  });
})();
