// The log form's "Topics studied" checklist: a filter box that narrows the
// 100-odd checkboxes to the topics whose title holds every word typed.
// The box is `hidden` in the markup, so without this script it never shows
// and every topic stays listed. A ticked topic that the filter hides stays
// ticked and is still sent with the form.

(() => {
  // "eigen" finds "Eigenvalues"; accents and case don't count.
  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function setUpTopicFilter(picker) {
    const box = picker.querySelector("[data-topic-filter]");
    const input = box.querySelector("input");
    const count = box.querySelector("[data-topic-count]");
    const none = picker.querySelector("[data-topic-none]");
    const sections = Array.from(picker.querySelectorAll("[data-topic-section]"), (section) => ({
      element: section,
      items: Array.from(section.querySelectorAll("li"), (item) => ({ element: item, text: fold(item.textContent) })),
    }));
    const total = sections.reduce((sum, section) => sum + section.items.length, 0);

    const apply = () => {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let shown = 0;
      for (const section of sections) {
        let matches = 0;
        for (const item of section.items) {
          const match = words.every((word) => item.text.includes(word));
          item.element.hidden = !match;
          if (match) matches += 1;
        }
        section.element.hidden = matches === 0;
        shown += matches;
      }
      none.hidden = shown > 0;
      const ticked = picker.querySelectorAll("input[type=checkbox]:checked").length;
      const listed = words.length ? `${shown} of ${total} topics shown` : `${total} topics`;
      count.textContent = `${listed} · ${ticked} ticked`;
    };

    input.addEventListener("input", apply);
    // Enter in the filter box would otherwise submit the entry half-written.
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault();
    });
    picker.addEventListener("change", (event) => {
      if (event.target.type === "checkbox") apply();
    });
    box.hidden = false;
    apply();
  }

  document.querySelectorAll("[data-topic-picker]").forEach(setUpTopicFilter);
})();
