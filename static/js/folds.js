// Collapsible parts of a page (<details>): open on wide screens, found by links.
//
// The dashboard puts what to do first and folds the rest (section cards, the
// checklist, practice) into <details>. The server renders them closed, which is
// what a phone wants, and works without JavaScript; on a wider screen this opens
// those marked data-open-wide, once, when the page loads. It never runs again:
// htmx swaps rows and panels inside the folds, never the folds themselves, so a
// status change can't fold or unfold anything.
//
// A link to something inside a closed fold (#check-…, #section-card-…, #topic-…)
// would land on nothing visible, so the fold is opened first: on a click (before
// the browser scrolls), on hashchange and on load (then it scrolls again, since the
// opened folds moved the target).
(() => {
  "use strict";

  const WIDE = "(min-width: 641px)"; // app.css's phone layout ends at 640px

  function targetOf(hash) {
    if (!hash || hash === "#") return null;
    try {
      return document.getElementById(decodeURIComponent(hash.slice(1)));
    } catch {
      return null; // a malformed %-escape
    }
  }

  // Opens `target` if it is a fold and every fold around it; whether any was closed.
  function reveal(target) {
    let opened = false;
    for (let node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS" && !node.open) {
        node.open = true;
        opened = true;
      }
    }
    return opened;
  }

  function revealHash({ scroll }) {
    const target = targetOf(location.hash);
    if (target && (reveal(target) || scroll)) target.scrollIntoView();
  }

  const wide = window.matchMedia(WIDE).matches ? document.querySelectorAll("details[data-open-wide]") : [];
  for (const fold of wide) fold.open = true;
  // The browser jumped to the fragment before the folds above it opened.
  revealHash({ scroll: wide.length > 0 });
  window.addEventListener("hashchange", () => revealHash({ scroll: false }));

  // A same-page link whose hash is already the current one fires no hashchange.
  document.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#"]');
    if (!link) return;
    const target = targetOf(link.getAttribute("href"));
    if (target && reveal(target) && link.hash === location.hash) {
      event.preventDefault();
      target.scrollIntoView();
    }
  });
})();
