// The progress page polls its job and moves the bar; nothing else needs script.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.state !== "running") { return; }
  var bar = document.getElementById("bar");
  var pct = document.getElementById("pct");
  var msg = document.getElementById("message");
  function poll() {
    fetch(box.dataset.status, {credentials: "same-origin"}).then(function (r) {
      // a job the app no longer knows (it was started again): the page says so
      if (r.status === 404) { window.location.reload(); throw new Error("unknown job"); }
      return r.json();
    }).then(function (s) {
      if (s.fraction !== null && pct) {  // null: a job from before a restart, not followed
        bar.value = s.fraction;
        pct.textContent = Math.round(s.fraction * 100) + "%";
      }
      if (s.message && msg) { msg.textContent = s.message; }

      if (s.state === "done") { window.location.href = box.dataset.done; return; }
      if (s.state !== "running") { window.location.reload(); return; }
      window.setTimeout(poll, 500);
    }).catch(function () { window.setTimeout(poll, 1500); });
  }
  window.setTimeout(poll, 300);
}());
