// "Was this page helpful?" without leaving the page. The answer is sent in the background and the
// part of the reply page that matters replaces the form. Without JavaScript, or if sending fails
// here, the form posts as usual and the reader gets the reply page with a link back. Offline, the
// page stays (a plain post would swap it for the browser's "No internet" page): a note says so.
(function () {
  if (!window.fetch || !window.DOMParser || !window.FormData) return;

  function sayOffline(form, body) {
    form.removeAttribute("aria-busy");
    var note = body.querySelector("[data-feedback-offline]");
    if (!note) {
      note = document.createElement("p");
      note.className = "feedback__status";
      note.setAttribute("role", "status");
      note.setAttribute("tabindex", "-1");
      note.setAttribute("data-feedback-offline", "");
      body.appendChild(note);
    }
    note.textContent = "You are offline; try again later.";
    note.focus();
  }

  function send(event) {
    var form = event.target;
    var body = form.closest("[data-feedback-body]");
    if (form.dataset.plain || !body) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy")) return;  // a second tap while the first answer is on its way
    if (navigator.onLine === false) return sayOffline(form, body);
    var data = new FormData(form);
    var button = event.submitter || form.lastClicked;  // older Safari has no event.submitter
    if (button && button.name) data.append(button.name, button.value);
    form.setAttribute("aria-busy", "true");
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.text(); }, function () { return null; })
      .then(function (html) {
        if (html === null) return sayOffline(form, body);  // no answer at all: no connection
        var reply = new DOMParser().parseFromString(html, "text/html").querySelector("[data-feedback-body]");
        if (!reply) throw new Error("The reply has no feedback part");
        body.replaceChildren.apply(body, Array.prototype.map.call(reply.childNodes, function (node) {
          return document.importNode(node, true);
        }));
        listen(body);
        var status = body.querySelector("[data-feedback-focus]");
        if (status) status.focus();
      })
      .catch(function () {
        form.removeAttribute("aria-busy");
        form.dataset.plain = "1";
        if (button) button.click(); else form.submit();
      });
  }

  function listen(scope) {
    scope.querySelectorAll("form[data-feedback-form]").forEach(function (form) {
      form.addEventListener("submit", send);
      form.addEventListener("click", function (event) {
        if (event.target.type === "submit") form.lastClicked = event.target;
      });
    });
  }

  listen(document);
})();
