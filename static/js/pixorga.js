// Small enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const copy = event.target.closest("[data-copy]");
  if (copy) {
    const source = document.querySelector(copy.dataset.copy);
    navigator.clipboard.writeText(source.textContent.trim()).then(() => {
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
