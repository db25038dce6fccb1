// The progress bar of a job's page (/jobs/<id>/): while the job is queued or running, ask its status URL
// every second and redraw the bar, the counts and the message (textContent only: a message is data, never
// markup). When the job ends, reload the page, which then shows the server-rendered report.
(function () {
  "use strict";

  const section = document.getElementById("job");
  if (!section || !section.dataset.jobStatusUrl) return;
  const running = (status) => status === "queued" || status === "running";
  if (!running(section.dataset.jobStatus)) return;

  const state = document.getElementById("job-state");
  const message = document.getElementById("job-message");
  const bar = document.getElementById("job-progress");
  const counts = document.getElementById("job-counts");
  let failures = 0;

  function draw(job) {
    state.textContent = job.status_label;
    message.textContent = job.message;
    if (job.total > 0) {
      bar.max = job.total;
      bar.value = Math.min(job.done, job.total);
      counts.textContent = job.done.toLocaleString() + " / " + job.total.toLocaleString();
    } else {
      bar.removeAttribute("value"); // indeterminate until the job knows how much there is
      counts.textContent = "";
    }
    bar.textContent = job.percent + "%";
  }

  function poll() {
    fetch(section.dataset.jobStatusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then((job) => {
        failures = 0;
        draw(job);
        if (running(job.status)) window.setTimeout(poll, 1000);
        else window.location.reload();
      })
      .catch(() => {
        // A restart of the server or a dropped connection: keep trying, less often.
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 1000 * 2 ** failures));
      });
  }

  window.setTimeout(poll, 500);
})();
