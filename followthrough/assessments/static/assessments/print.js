// The print view's button: the browser's own print dialog (save as PDF from there).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
