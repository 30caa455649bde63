// My plan: the reader's chosen exercises, the days they ticked and their reminder times, kept in
// this browser's storage only. No request carries the plan: the page holds every exercise already
// (a <template> each), and "Copy my plan" puts the choices after a # that browsers never send.
(function () {
  var KEY = "backcare-plan", $ = function (name) { return document.querySelector("[data-plan-" + name + "]"); };
  var root = $("page"), status = $("status");
  // No storage (blocked by the browser): the note instead of a plan that could keep nothing.
  try { localStorage.getItem(KEY); } catch (e) { $("no-script").hidden = false; root.hidden = true; return; }
  var plan;
  function load() {
    try { plan = JSON.parse(localStorage.getItem(KEY)) || {}; } catch (e) { plan = {}; }
    plan.items = plan.items || []; plan.days = plan.days || {}; plan.changed = plan.changed || {};
    plan.times = plan.times || ["08:00", "13:00", "18:00"];
  }
  function save() { localStorage.setItem(KEY, JSON.stringify(plan)); render(); }
  function say(words) { status.textContent = ""; window.setTimeout(function () { status.textContent = words; }, 50); }
  function dayKey(date) {
    return date.getFullYear() + "-" + String(date.getMonth() + 1).padStart(2, "0") + "-" + String(date.getDate()).padStart(2, "0");
  }
  function template(id) {
    return Array.prototype.find.call(document.querySelectorAll("template[data-plan-item]"), function (t) {
      return t.getAttribute("data-plan-item") === id;
    });
  }

  // A copied link (#plan=...) fills this browser's plan, then the address loses the fragment.
  var match = /^#plan=(.+)$/.exec(location.hash);
  if (match) {
    try {
      var copied = JSON.parse(decodeURIComponent(match[1]));
      if (copied && Array.isArray(copied.items)) { localStorage.setItem(KEY, JSON.stringify(copied)); }
    } catch (e) { /* a damaged link leaves the plan as it was */ }
    history.replaceState(null, "", location.pathname);
  }
  load();
  // Once there is a plan, every picture is fetched, chosen or not, so the requests say nothing about
  // which exercises it holds. An empty plan shows none, so a first visit stays light.
  if (plan.items.length) {
    document.querySelectorAll("template[data-plan-item]").forEach(function (t) {
      var picture = t.content.querySelector("img");
      if (picture) new Image().src = picture.getAttribute("src");
    });
  }
  $("no-script").hidden = true;
  root.hidden = false;

  function goodDays(entry) {
    return Object.keys(plan.days).filter(function (day) {
      return (!entry.since || day > entry.since) && plan.days[day].done;
    });
  }
  // "It made my pain worse" on any of the last 7 days holds back every step-up.
  function madeWorse() {
    var week = new Date(); week.setDate(week.getDate() - 6);
    return Object.keys(plan.days).some(function (day) { return day >= dayKey(week) && plan.days[day].worse; });
  }
  function changed() { return plan.changed.numbness || plan.changed.worse; }

  function renderItems() {
    var list = $("list");
    list.textContent = "";
    plan.items = plan.items.filter(function (entry) { return template(entry.id); });
    plan.items.forEach(function (entry) {
      var source = template(entry.id), item = source.content.firstElementChild.cloneNode(true);
      var reps = Number(source.getAttribute("data-repetitions")), after = Number(source.getAttribute("data-step-up-after"));
      var by = Number(source.getAttribute("data-step-up-by")), note = item.querySelector("[data-plan-progress]");
      if (reps && entry.extra) {
        note.append("Now: repeat " + (reps + entry.extra) + " times. ");
      }
      if (reps && after && by) {
        var done = goodDays(entry).length;
        if (changed() || madeWorse()) {
          note.append("Do not step up for now. Go back to the amount that felt fine.");
          if (entry.extra) {
            var down = document.createElement("button");
            down.type = "button"; down.className = "copy-link";
            down.textContent = "Go back to " + (reps + Math.max(0, entry.extra - by)) + " times";
            down.addEventListener("click", function () {
              entry.extra = Math.max(0, entry.extra - by); save();
              say(item.querySelector("h3").textContent + ": back to " + (reps + entry.extra) + " times.");
            });
            note.append(" ", down);
          }
        } else if (done >= after) {
          var up = document.createElement("button");
          up.type = "button"; up.className = "copy-link";
          up.textContent = "Step up: repeat " + (reps + entry.extra + by) + " times";
          up.addEventListener("click", function () {
            entry.extra += by; entry.since = dayKey(new Date()); save();
            say(item.querySelector("h3").textContent + ": stepped up to " + (reps + entry.extra) + " times.");
          });
          note.append("Ready for the next step up. ", up);
        } else {
          note.append("Next step up after " + (after - done) + " more " + (after - done === 1 ? "day" : "days") + " ticked.");
        }
      }
      note.hidden = !note.textContent;
      list.append(item);
    });
    $("empty").hidden = plan.items.length > 0;
  }

  function renderDays() {
    var days = $("days");
    days.textContent = "";
    for (var back = 0; back < 7; back++) {
      var date = new Date(); date.setDate(date.getDate() - back);
      var key = dayKey(date), ticks = plan.days[key] || {};
      var row = document.createElement("fieldset"), legend = document.createElement("legend");
      row.className = "plan-day";
      legend.textContent = back === 0 ? "Today" : date.toLocaleDateString("en-GB", {weekday: "long", day: "numeric", month: "long"});
      row.append(legend);
      [["done", "I did my plan"], ["worse", "It made my pain worse"]].forEach(function (pair) {
        var label = document.createElement("label"), box = document.createElement("input");
        box.type = "checkbox"; box.checked = !!ticks[pair[0]];
        box.setAttribute("data-day", key); box.setAttribute("data-tick", pair[0]);
        label.append(box, " " + pair[1]);
        row.append(label);
      });
      days.append(row);
    }
  }

  function render() {
    renderItems();
    renderDays();
    document.querySelectorAll("[data-plan-change]").forEach(function (box) {
      box.checked = !!plan.changed[box.getAttribute("data-plan-change")];
    });
    $("change-advice").hidden = !changed();
    document.querySelectorAll("[data-plan-time]").forEach(function (input, index) { input.value = plan.times[index] || ""; });
    var copy = {items: plan.items, days: plan.days, changed: plan.changed, times: plan.times};
    $("share").href = location.href.split("#")[0] + "#plan=" + encodeURIComponent(JSON.stringify(copy));
  }

  $("days").addEventListener("change", function (event) {
    var box = event.target, key = box.getAttribute("data-day");
    plan.days[key] = plan.days[key] || {};
    plan.days[key][box.getAttribute("data-tick")] = box.checked;
    if (!plan.days[key].done && !plan.days[key].worse) delete plan.days[key];
    save();
    var focus = document.querySelector('[data-day="' + key + '"][data-tick="' + box.getAttribute("data-tick") + '"]');
    if (focus) focus.focus();
  });

  var changedButton = $("changed-button"), changedPanel = document.getElementById(changedButton.getAttribute("aria-controls"));
  changedButton.addEventListener("click", function () {
    var open = changedButton.getAttribute("aria-expanded") !== "true";
    changedButton.setAttribute("aria-expanded", String(open));
    changedPanel.hidden = !open;
  });
  document.querySelectorAll("[data-plan-change]").forEach(function (box) {
    box.addEventListener("change", function () { plan.changed[box.getAttribute("data-plan-change")] = box.checked; save(); });
  });

  document.querySelectorAll("[data-plan-time]").forEach(function (input, index) {
    input.addEventListener("change", function () { plan.times[index] = input.value; save(); });
  });
  $("calendar").addEventListener("click", function () {
    var now = new Date(), stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
    var start = dayKey(now).replace(/-/g, ""), titles = plan.items.map(function (entry) {
      return template(entry.id).content.querySelector("h3").textContent;
    }).join(", ").replace(/([\\;,])/g, "\\$1");
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Backcare//My plan//EN", "CALSCALE:GREGORIAN"];
    plan.times.filter(Boolean).forEach(function (time, index) {
      lines.push("BEGIN:VEVENT", "UID:" + stamp + "-" + index + "@backcare-my-plan", "DTSTAMP:" + stamp,
        "DTSTART:" + start + "T" + time.replace(":", "") + "00", "DURATION:PT15M", "RRULE:FREQ=DAILY",
        "SUMMARY:My back exercises", "DESCRIPTION:" + (titles || "My plan"),
        "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:Time for my back exercises", "TRIGGER:PT0M", "END:VALARM", "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([lines.join("\r\n") + "\r\n"], {type: "text/calendar"}));
    link.download = "my-plan.ics";
    document.body.append(link); link.click(); link.remove();
    say("Calendar file made. Open it to add the reminders to your calendar.");
  });

  $("print").addEventListener("click", function () { window.print(); });
  $("delete").addEventListener("click", function () {
    localStorage.removeItem(KEY);
    load(); render();
    say("Your plan is deleted from this browser.");
  });
  if (match) say("Your plan has been copied to this browser.");
  render();
})();
