// Ferry's UI script: follows a build's events live on its page (Ui/Builds/BuildPage.razor). The server renders
// every event stored so far; this continues from the last one with the API's server-sent events
// (/api/v1/builds/{id}/events, see Api/BuildEventsApi.cs) until the stream says "end".
"use strict";

(function () {
  const log = document.querySelector("[data-build-log]");
  if (!log || log.dataset.final === "true" || typeof EventSource === "undefined") return;

  const buildId = log.dataset.buildLog;
  const steps = log.querySelector(".steps");
  const status = document.querySelector("[data-build-status]");
  const live = document.querySelector("[data-live]");
  const source = new EventSource(`/api/v1/builds/${buildId}/events?after=${log.dataset.after || 0}`);

  function setStatus(value) {
    if (!status) return;
    status.className = `status ${value}`;
    status.dataset.status = value;
    status.textContent = value.replace("_", " ");
  }

  function step(id, kind, name) {
    const key = id || "build";
    let section = steps.querySelector(`[data-step="${CSS.escape(key)}"]`);
    if (!section) {
      section = document.createElement("section");
      section.className = "step";
      section.dataset.step = key;
      const header = document.createElement("header");
      const k = document.createElement("span");
      k.className = "kind";
      k.textContent = kind || (id ? "step" : "build");
      const n = document.createElement("span");
      n.className = "name";
      n.textContent = name || id || "";
      const outcome = document.createElement("span");
      outcome.className = "outcome";
      header.append(k, n, outcome);
      const pre = document.createElement("pre");
      section.append(header, pre);
      steps.append(section);
    }
    return section;
  }

  function append(section, text, cls) {
    const pre = section.querySelector("pre");
    const follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    const span = document.createElement("span");
    if (cls) span.className = cls;
    span.textContent = text;
    pre.append(span);
    if (follow) pre.scrollTop = pre.scrollHeight;
  }

  function handle(type, e) {
    const event = JSON.parse(e.data);
    log.dataset.after = event.seq;
    switch (type) {
      case "status": setStatus(event.text); break;
      case "step_started": step(event.stepId, event.payload && event.payload.kind, event.payload && event.payload.name); break;
      case "step_finished": {
        const outcome = step(event.stepId).querySelector(".outcome");
        outcome.innerHTML = "";
        const badge = document.createElement("span");
        badge.className = `status ${event.text}`;
        badge.dataset.status = event.text;
        badge.textContent = event.text;
        outcome.append(badge);
        break;
      }
      case "log": append(step(event.stepId), event.text, event.stream === "stderr" ? "stderr" : null); break;
      case "error": append(step(event.stepId), event.text + "\n", "error"); break;
      case "warning": append(step(event.stepId), event.text + "\n", "warning"); break;
    }
  }

  for (const type of ["status", "step_started", "step_finished", "log", "error", "warning"]) {
    source.addEventListener(type, (e) => handle(type, e));
  }
  source.addEventListener("end", (e) => {
    const end = JSON.parse(e.data);
    source.close();
    setStatus(end.status);
    log.dataset.final = "true";
    if (live) live.textContent = end.reason ? `ended: ${end.reason}` : "ended";
    // The abort button and the times belong to a running build; a fresh render shows the ended one.
    document.querySelectorAll("[data-while-running]").forEach((el) => el.remove());
  });
  source.onerror = () => { if (live && log.dataset.final !== "true") live.textContent = "reconnecting…"; };
  source.onopen = () => { if (live) live.textContent = "live"; };
})();
