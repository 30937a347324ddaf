// Copy a share card's text to the clipboard. Buttons name their textarea in
// data-copy-target; without JavaScript the text stays selectable by hand.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field) return;
  const original = button.textContent;
  try {
    await navigator.clipboard.writeText(field.value);
    button.textContent = "Copied!";
  } catch {
    field.select();
    button.textContent = "Press Ctrl+C to copy";
  }
  setTimeout(() => { button.textContent = original; }, 2000);
});
