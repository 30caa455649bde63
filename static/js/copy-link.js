// Turns each "Link to this answer" into a "Copy link" button, so an answer has one way to share it.
// Without JavaScript (or without clipboard access) the plain link stays; if copying fails, it comes back.
(function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll(".permalink a").forEach(function (link) {
    var holder = link.parentNode;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-link";
    button.textContent = "Copy link";
    // Screen readers hear which answer each button copies, as they do for the link.
    var context = link.querySelector(".visually-hidden");
    if (context) button.appendChild(context.cloneNode(true));
    var status = document.createElement("span");
    status.setAttribute("role", "status");
    status.className = "copy-link__status";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(link.href).then(function () {
        status.textContent = "Link copied";
      }, function () {
        holder.replaceChild(link, button);
        status.textContent = "Could not copy. Press and hold the link to copy it.";
      });
    });
    holder.replaceChild(button, link);
    holder.appendChild(status);
  });
})();
