// The exercise sheet's "Print this sheet" button: shown only when this script runs (no inline script:
// the Content Security Policy allows none).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
