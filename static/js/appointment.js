// "Take this to your appointment": keeps what the reader types in this browser's storage (never sent
// anywhere), and adds Print and Clear buttons. Without JavaScript the boxes still take text and print.
(function () {
  var KEY = "backcare-appointment";
  var boxes = document.querySelectorAll("[data-keep]");
  var actions = document.querySelector(".appointment__actions");
  var status = document.querySelector(".appointment__status");
  if (!boxes.length || !actions) return;

  var storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + "-test", "1");
    storage.removeItem(KEY + "-test");
  } catch (error) {
    storage = null; // private browsing or storage turned off: the page still works, it just forgets
  }

  function saved() {
    try {
      return JSON.parse(storage.getItem(KEY)) || {};
    } catch (error) {
      return {};
    }
  }

  if (storage) {
    var values = saved();
    boxes.forEach(function (box) {
      if (typeof values[box.dataset.keep] === "string") box.value = values[box.dataset.keep];
      box.addEventListener("input", function () {
        var now = saved();
        now[box.dataset.keep] = box.value;
        storage.setItem(KEY, JSON.stringify(now));
      });
    });
    document.querySelector(".appointment__kept").hidden = false;
  }

  actions.addEventListener("click", function (event) {
    var action = event.target.closest("[data-action]");
    if (!action) return;
    if (action.dataset.action === "print") {
      window.print();
    } else if (action.dataset.action === "clear") {
      boxes.forEach(function (box) { box.value = ""; });
      if (storage) storage.removeItem(KEY);
      status.textContent = "Cleared. Nothing is kept now.";
    }
  });
  actions.hidden = false;
})();
