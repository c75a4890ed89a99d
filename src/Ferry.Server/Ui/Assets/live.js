// Live pages (the dashboard, a job's builds, a pipeline's environments). A page marks what may change with
// data-live-region="NAME" (data-live-pipeline="P" to follow one pipeline, "" for every pipeline the user sees). This
// script listens to the server's change notices (/api/v1/events, see Api/PipelineEventsApi.cs) and, on one, fetches
// the page again and swaps in each region's new HTML: no reload, so scroll position and everything outside the
// regions (a filter being typed, an open form) stays. Notices are debounced; a hidden tab refetches when shown again;
// a region where the person is typing or choosing waits until they are done.
"use strict";

(function () {
  const first = document.querySelector("[data-live-region]");
  if (!first || typeof EventSource === "undefined" || typeof fetch === "undefined" || typeof DOMParser === "undefined") return;

  const root = document.documentElement;
  const pipeline = first.dataset.livePipeline || "";
  const Debounce = 400;
  let timer = null;
  let busy = false;
  let pending = false;

  // Typing, a changed field or a choice inside the region: swapping it now would throw the person's input away.
  function inUse(region) {
    const active = document.activeElement;
    if (active && active !== document.body && region.contains(active) && active.matches("input, textarea, select")) return true;
    for (const field of region.querySelectorAll("input, textarea")) {
      if (field.type === "hidden") continue;
      const changed = field.type === "checkbox" || field.type === "radio" ? field.checked !== field.defaultChecked : field.value !== field.defaultValue;
      if (changed) return true;
    }
    for (const select of region.querySelectorAll("select")) {
      for (const option of select.options) if (option.selected !== option.defaultSelected) return true;
    }
    return false;
  }

  function schedule() {
    pending = true;
    if (timer !== null || busy) return;
    timer = setTimeout(() => { timer = null; refresh(); }, Debounce);
  }

  async function refresh() {
    if (!pending) return;
    if (document.visibilityState === "hidden") return; // visibilitychange brings it back
    busy = true;
    pending = false;
    let waiting = false;
    try {
      const response = await fetch(location.href, { credentials: "same-origin", cache: "no-store", headers: { Accept: "text/html" } });
      // A page gone (a destroyed pipeline) or a sign-in that ran out: leave what is shown, a reload says why.
      if (!response.ok || response.redirected) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const region of document.querySelectorAll("[data-live-region]")) {
        const next = fresh.querySelector(`[data-live-region="${CSS.escape(region.dataset.liveRegion)}"]`);
        if (!next) continue;
        if (inUse(region)) { waiting = true; continue; }
        region.replaceChildren(...Array.from(next.childNodes, (node) => document.importNode(node, true)));
      }
      root.dataset.liveRefreshes = String(Number(root.dataset.liveRefreshes || "0") + 1);
    } catch (error) {
      pending = true; // the next notice, or the next reconnect, tries again
    } finally {
      busy = false;
      if (waiting) pending = true;
      if (pending && !waiting) schedule();
    }
  }

  document.addEventListener("visibilitychange", () => { if (document.visibilityState === "visible" && pending) schedule(); });
  // A region that waited for the person: once they leave its field, bring it up to date.
  document.addEventListener("focusout", () => { if (pending && !busy && timer === null) schedule(); });

  const source = new EventSource("/api/v1/events" + (pipeline ? `?pipeline=${encodeURIComponent(pipeline)}` : ""));
  source.addEventListener("ready", () => {
    // Changes made after the page was rendered and before this listened (or while a lost connection was away) sent
    // no notice here: look once. Without it a page opened while a promotion ran showed it running until the next change.
    schedule();
    root.dataset.live = "on";
  });
  for (const kind of ["build", "promotion", "pipeline"]) source.addEventListener(kind, schedule);
  source.onerror = () => { root.dataset.live = "reconnecting"; };
})();
