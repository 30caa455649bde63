// Adds an "Add to my plan" button to each exercise and position. The choice stays in this
// browser's storage (see plan.js); nothing is sent to the site.
(function () {
  var KEY = "backcare-plan", script = document.currentScript;
  function load() {
    try { return JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { return {}; }
  }
  try { localStorage.getItem(KEY); } catch (e) { return; }
  document.querySelectorAll("[data-plan-step] > li[id]").forEach(function (item) {
    var id = item.parentNode.getAttribute("data-plan-step") + "/" + item.id, title = item.querySelector("h3");
    var button = document.createElement("button"), status = document.createElement("p");
    button.type = "button";
    button.className = "copy-link plan-add";
    status.setAttribute("role", "status");
    status.className = "copy-link__status";
    function chosen() {
      return (load().items || []).some(function (entry) { return entry.id === id; });
    }
    function show() {
      button.textContent = chosen() ? "Remove from my plan" : "Add to my plan";
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = ": " + (title ? title.textContent : id);
      button.appendChild(hidden);
    }
    button.addEventListener("click", function () {
      var plan = load(), items = plan.items || [], adding = !chosen();
      plan.items = adding ? items.concat([{id: id, extra: 0}]) : items.filter(function (entry) { return entry.id !== id; });
      localStorage.setItem(KEY, JSON.stringify(plan));
      show();
      status.textContent = "";
      status.append(adding ? "Added to " : "Taken out of ");
      var link = document.createElement("a");
      link.href = script.getAttribute("data-plan-url");
      link.textContent = "my plan";
      status.append(link);
    });
    show();
    // On a step page the instructions are folded ("How to do it"): the button opens with them, so
    // the page stays within five phone screens. Elsewhere it follows the item's words.
    var how = item.querySelector(".item__how");
    if (how) how.append(button, status);
    else (item.querySelector(".item__text") || item).append(button, status);
  });
})();
