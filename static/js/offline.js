// Keeps the guide readable offline: once the page has loaded, registers the service worker
// (its address is on this script's tag). Browsers without service workers just read online.
(function () {
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(script.dataset.serviceWorker).catch(function () {});
  });
})();
