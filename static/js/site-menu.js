// The header's Menu button, on screens too narrow for the links (base.html, app.css).
//
// The header is one line on a phone. The links stay inline while they fit beside
// the brand; when they don't (signed in, at 360 px, or with large text), they fold
// behind a disclosure button: aria-expanded says whether the list below it shows.
// Without JavaScript the button stays hidden and the links scroll sideways.
// Focus stays on the button when it opens the list, so Tab goes on into it;
// Escape closes it and brings focus back to the button.
(() => {
  "use strict";

  const header = document.querySelector(".site-header");
  const toggle = header?.querySelector(".nav-toggle");
  const list = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!list) return;
  const nav = toggle.closest("nav");

  const isOpen = () => toggle.getAttribute("aria-expanded") === "true";
  const setOpen = (open) => toggle.setAttribute("aria-expanded", String(open));

  // Fold the links only when, laid out inline, they run past the space they have.
  function fit() {
    const open = isOpen();
    setOpen(false);
    header.classList.remove("nav-collapsed");
    const overflows = list.scrollWidth > list.clientWidth + 1;
    header.classList.toggle("nav-collapsed", overflows);
    if (overflows) setOpen(open);
  }

  toggle.hidden = false;
  header.classList.add("nav-js");
  fit();
  window.addEventListener("resize", fit);

  toggle.addEventListener("click", () => setOpen(!isOpen()));

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !isOpen()) return;
    const inside = nav.contains(document.activeElement);
    setOpen(false);
    if (inside) toggle.focus();
  });
  // A click or a Tab elsewhere closes it, as it would close a native popup.
  document.addEventListener("click", (event) => {
    if (isOpen() && !nav.contains(event.target)) setOpen(false);
  });
  nav.addEventListener("focusout", (event) => {
    if (isOpen() && event.relatedTarget && !nav.contains(event.relatedTarget)) setOpen(false);
  });
})();
