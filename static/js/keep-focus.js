// Keeps keyboard focus in place when an htmx swap removes the focused control (base.html loads it).
//
// htmx puts focus back on an element whose id comes back in the new content (the
// dashboard's status buttons have ids for that). When the control is gone for good,
// say a gap marked mastered leaves the Gaps panel, focus would drop to <body> and a
// keyboard user would have to start again from the top of the page. Instead it goes to
// the control now in the same place in the nearest container (by id) still on the page,
// or to that container when nothing in it takes focus. The flash region says what changed.
(() => {
  "use strict";

  const TABBABLE = [
    "a[href]", "button:not([disabled])", "input:not([disabled]):not([type=hidden])",
    "select:not([disabled])", "textarea:not([disabled])", "summary", "[tabindex]:not([tabindex='-1'])",
  ].join(",");
  const pending = new WeakMap(); // request -> where its focused control sat

  const tabbables = (root) =>
    [...root.querySelectorAll(TABBABLE)].filter((el) => el.getClientRects().length && !el.closest("[inert]"));

  document.addEventListener("htmx:beforeRequest", (event) => {
    const focused = document.activeElement;
    if (!focused || focused === document.body) return;
    const places = [];
    for (let up = focused.parentElement; up && up !== document.body; up = up.parentElement) {
      if (up.id) places.push([up.id, tabbables(up).indexOf(focused)]);
    }
    pending.set(event.detail.xhr, places);
  });

  document.addEventListener("htmx:afterSettle", (event) => {
    const places = pending.get(event.detail.xhr);
    if (!places) return;
    pending.delete(event.detail.xhr);
    if (document.activeElement && document.activeElement !== document.body) return; // still in place
    for (const [id, index] of places) {
      const container = document.getElementById(id);
      if (!container) continue;
      const candidates = tabbables(container);
      if (candidates.length) {
        candidates[Math.min(Math.max(index, 0), candidates.length - 1)].focus();
      } else {
        if (!container.hasAttribute("tabindex")) container.setAttribute("tabindex", "-1");
        container.focus();
      }
      return;
    }
  });
})();
