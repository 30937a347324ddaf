// The browser's time zone, for the server to use only when the learner says so:
// sign-up's hidden field (accounts/forms.py SignupForm) is filled in, and the
// settings page's offer ("Your browser says Asia/Tokyo — use it?") is filled in
// and shown when the browser's zone differs from the saved one. Without
// JavaScript the field stays empty (the profile keeps UTC) and the offer hidden.
(() => {
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (!zone) return;
  for (const input of document.querySelectorAll("input[data-browser-timezone]")) {
    input.value = zone;
  }
  for (const offer of document.querySelectorAll("[data-timezone-offer]")) {
    if (offer.dataset.savedTimezone === zone) continue;
    for (const name of offer.querySelectorAll("[data-browser-timezone-name]")) {
      name.textContent = zone;
    }
    offer.hidden = false;
  }
})();
