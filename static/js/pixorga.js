// Small enhancements; every page works without them.

// Copy, print and list filtering need JavaScript: their controls are `hidden` in the HTML, shown here.
const revealScriptButtons = (root) => {
  root.querySelectorAll("[data-copy][hidden], [data-print][hidden], [data-filter-list][hidden]").forEach((control) => {
    control.hidden = false;
  });
};
revealScriptButtons(document);

document.addEventListener("click", (event) => {
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const source = document.querySelector(copy.dataset.copy);
    const text = "value" in source ? source.value : source.textContent.trim();
    navigator.clipboard.writeText(text).then(() => {
      const label = copy.textContent;
      copy.textContent = "Copié !";
      setTimeout(() => { copy.textContent = label; }, 2000);
    });
  }
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A second click while the first sending is on its way changes nothing on the server; this spares the wait.
document.addEventListener("submit", (event) => {
  const button = event.target.querySelector("[data-once]");
  if (button) {
    setTimeout(() => { button.disabled = true; button.textContent = "Envoi en cours…"; }, 0);
  }
});

// htmx replaces a table when the teacher sorts, filters or pages: keep the keyboard focus where it was
// (the same sort link or page link, found by its id), or on the table itself.
let focusedId = null;
document.addEventListener("htmx:beforeRequest", () => {
  focusedId = document.activeElement && document.activeElement.id;
});
document.addEventListener("htmx:afterSettle", (event) => {
  revealScriptButtons(event.detail.elt);
  const target = event.detail.target;
  if (!target || !target.matches("[data-keep-focus]")) return;
  const again = focusedId && document.getElementById(focusedId);
  if (again && target.contains(again)) {
    again.focus();
  } else if (document.activeElement === document.body || !document.body.contains(document.activeElement)) {
    target.focus();
  }
});

// A list of checkboxes with a filter box (the classes of a school): typing narrows the list.
document.addEventListener("input", (event) => {
  const box = event.target.closest("[data-filter-list]");
  if (!box) return;
  const words = box.value.trim().toLowerCase();
  document.querySelectorAll(box.dataset.filterList).forEach((item) => {
    item.hidden = words !== "" && !item.textContent.toLowerCase().includes(words);
  });
});

// External id: the type and label matter only when the teacher answers « Oui ».
const toggleDependents = () => {
  document.querySelectorAll("[data-shown-when]").forEach((block) => {
    const [name, value] = block.dataset.shownWhen.split("=");
    const checked = document.querySelector(`input[name="${name}"]:checked`);
    block.hidden = !checked || checked.value !== value;
  });
};
document.addEventListener("change", toggleDependents);
toggleDependents();
