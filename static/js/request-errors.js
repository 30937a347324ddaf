// What a failed htmx request tells the learner, on every page (base.html loads it).
//
// htmx swaps 4xx answers (base.html's htmx-config): the server sends a readable
// fragment for the flash region (roadmap/web/htmx_errors.py). Nothing is swapped
// when no answer came (the network) or the server failed (5xx), and the page would
// sit there as if the click had not happened; this says so in the flash region.
// Generic on purpose: it covers every hx-get and hx-post, whoever wrote the view.
// A static file, not inline script, because the Content Security Policy allows no other.
(() => {
  "use strict";

  const UNREACHABLE = "Couldn't reach mathpath — check your connection and try again.";
  const SERVER_FAILED = "Something went wrong on our side; nothing was changed — try again.";
  const SHOWN = "#flash > [data-request-error]";

  function show(text) {
    const flash = document.getElementById("flash");
    if (!flash) return;
    const box = document.createElement("div");
    box.className = "flash flash-error";
    box.setAttribute("role", "alert");
    box.dataset.requestError = "";
    const message = document.createElement("p");
    message.textContent = text;
    const dismiss = document.createElement("button");
    dismiss.type = "button";
    dismiss.className = "flash-dismiss";
    dismiss.dataset.dismissFlash = "";
    dismiss.textContent = "Dismiss";
    box.append(message, dismiss);
    flash.replaceChildren(box);
  }

  document.addEventListener("htmx:sendError", () => show(UNREACHABLE));
  document.addEventListener("htmx:timeout", () => show(UNREACHABLE));
  // Only answers base.html's htmx-config marks as errors get here: 5xx (4xx are swapped).
  document.addEventListener("htmx:responseError", () => show(SERVER_FAILED));

  // A new request makes the last one's failure stale; if it fails too, it says so again.
  document.addEventListener("htmx:beforeRequest", () => {
    for (const shown of document.querySelectorAll(SHOWN)) shown.remove();
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-dismiss-flash]");
    if (button) button.closest("[data-request-error]")?.remove();
  });
})();
