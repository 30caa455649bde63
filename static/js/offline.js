// Registers the offline service worker (docs/architecture.md) once the page has loaded.
(function () {
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.serviceWorker).catch(function () {});
  });
})();
