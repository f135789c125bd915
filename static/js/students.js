// The classes filter of the Élèves list: a box that narrows a long list of checkboxes. Without it, the
// checkboxes are all there and the list scrolls.
document.querySelectorAll("[data-multiselect-search]").forEach((box) => {
  box.hidden = false;
  const input = box.querySelector("input");
  const options = document.getElementById(input.getAttribute("aria-controls"));
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toLowerCase();
    options.querySelectorAll("label").forEach((label) => {
      label.hidden = wanted !== "" && !label.textContent.toLowerCase().includes(wanted);
    });
  });
});

// Text boxes filter as the teacher types; their « change » when they lose focus would send the same
// filter again, racing the click that took the focus away (a sort, a page).
document.querySelectorAll("[data-typing]").forEach((input) => {
  input.addEventListener("change", (event) => event.stopPropagation());
});
