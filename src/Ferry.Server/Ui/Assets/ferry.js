// Ferry's UI script, for a build's page (Ui/Builds/BuildPage.razor). The server renders the end of the build's log
// (a long log only in part); this script
// - loads earlier output on demand ("Load earlier output": /api/v1/builds/{id}/log?before=seq, see Api/BuildLogApi.cs)
//   and puts it in front of what the page shows, step by step;
// - follows a running build live from its last rendered event with the API's server-sent events
//   (/api/v1/builds/{id}/events, see Api/BuildEventsApi.cs) until the stream says "end".
"use strict";

(function () {
  const log = document.querySelector("[data-build-log]");
  if (!log) return;

  const buildId = log.dataset.buildLog;
  const steps = log.querySelector(".steps");

  function section(id, kind, name, first) {
    const key = id || "build";
    let found = steps.querySelector(`[data-step="${CSS.escape(key)}"]`);
    if (!found) {
      found = document.createElement("section");
      found.className = "step";
      found.dataset.step = key;
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
      found.append(header, pre);
      if (first) steps.prepend(found); else steps.append(found);
    }
    return found;
  }

  // A log, error or warning event as the text it shows and its class; null for events that show no text.
  function line(event) {
    switch (event.type) {
      case "log": return { text: event.text || "", css: event.stream === "stderr" ? "stderr" : null };
      case "error": return { text: (event.text || "") + "\n", css: "error" };
      case "warning": return { text: (event.text || "") + "\n", css: "warning" };
      default: return null;
    }
  }

  function span(shown) {
    const s = document.createElement("span");
    if (shown.css) s.className = shown.css;
    s.textContent = shown.text;
    return s;
  }

  // Load earlier output: each page goes in front of what is shown, newest event first so the order stays.
  const earlier = log.querySelector("[data-log-earlier]");
  const link = earlier && earlier.querySelector("[data-action=load-earlier]");
  const note = earlier && earlier.querySelector("[data-log-note]");
  if (link && typeof fetch !== "undefined") {
    link.addEventListener("click", async (click) => {
      click.preventDefault();
      if (link.dataset.loading === "true") return;
      link.dataset.loading = "true";
      try {
        const response = await fetch(`/api/v1/builds/${buildId}/log?before=${link.dataset.before}`,
          { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!response.ok) throw new Error(`the server answered ${response.status}`);
        const page = await response.json();
        for (const event of page.events.slice().reverse()) {
          const shown = line(event);
          if (!shown) continue;
          const pre = section(event.stepId, null, null, true).querySelector("pre");
          pre.insertBefore(span(shown), pre.firstChild);
        }
        link.dataset.before = page.firstSeq;
        link.href = `/builds/${buildId}?before=${page.firstSeq}`;
        if (!page.earlier) earlier.remove();
      } catch (error) {
        if (note) note.textContent = `Earlier output could not be loaded: ${error.message}`;
      } finally {
        link.dataset.loading = "false";
      }
    });
  }

  // Live: only the end of a running build's log is followed, not an earlier part of it.
  if (log.dataset.final === "true" || log.dataset.window === "true" || typeof EventSource === "undefined") return;

  const status = document.querySelector("[data-build-status]");
  const live = document.querySelector("[data-live]");
  const source = new EventSource(`/api/v1/builds/${buildId}/events?after=${log.dataset.after || 0}`);

  function setStatus(value) {
    if (!status) return;
    status.className = `status ${value}`;
    status.dataset.status = value;
    status.textContent = value.replace("_", " ");
  }

  function append(target, shown) {
    const pre = target.querySelector("pre");
    const follow = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.append(span(shown));
    if (follow) pre.scrollTop = pre.scrollHeight;
  }

  function handle(type, e) {
    const event = JSON.parse(e.data);
    log.dataset.after = event.seq;
    switch (type) {
      case "status": setStatus(event.text); break;
      case "step_started": section(event.stepId, event.payload && event.payload.kind, event.payload && event.payload.name, false); break;
      case "step_finished": {
        const outcome = section(event.stepId).querySelector(".outcome");
        outcome.innerHTML = "";
        const badge = document.createElement("span");
        badge.className = `status ${event.text}`;
        badge.dataset.status = event.text;
        badge.textContent = event.text;
        outcome.append(badge);
        break;
      }
      default: {
        const shown = line(event);
        if (shown) append(section(event.stepId), shown);
      }
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
