// Copy buttons for citations: shown only when the Clipboard API is available.
(() => {
  const status = document.querySelector("[data-copy-status]");
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach((button) => {
    const source = document.getElementById(button.dataset.copy);
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent.trim());
        if (status) status.textContent = status.dataset.copied;
      } catch {
        // Permission refused: the download link next to the button still works.
      }
    });
  });
})();
