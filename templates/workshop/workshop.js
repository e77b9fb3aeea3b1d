// The live workshop page: on each server-sent event, fetch this page's state and swap it in.
// Forms post with the CSRF token in a header; a typed note survives the swap.
(function () {
  "use strict";
  var live = document.getElementById("live");
  if (!live) { return; }
  var statusLine = document.getElementById("status");
  var csrf = live.dataset.csrf;
  var busy = false;
  var again = false;

  function say(text) { if (statusLine) { statusLine.textContent = text; } }

  function kept() {
    // Typed text and focus, to restore when the same question is shown again.
    var fields = {};
    live.querySelectorAll("[data-keep]").forEach(function (field) {
      var box = field.type === "checkbox";
      fields[field.id] = { question: field.dataset.keep, value: field.value, box: box,
                           checked: field.checked,
                           start: box ? null : field.selectionStart,
                           end: box ? null : field.selectionEnd,
                           focused: document.activeElement === field,
                           typed: box ? field.checked !== field.defaultChecked
                             : field.tagName === "SELECT"
                               ? field.value !== field.dataset.initial
                               : field.value !== field.defaultValue };
    });
    return fields;
  }

  function restore(fields) {
    Object.keys(fields).forEach(function (id) {
      var field = document.getElementById(id);
      var old = fields[id];
      if (!field || field.dataset.keep !== old.question) { return; }
      if (old.typed) {
        if (old.box) { field.checked = old.checked; } else { field.value = old.value; }
      }
      if (old.focused) {
        field.focus();
        if (!old.box && field.setSelectionRange) { field.setSelectionRange(old.start, old.end); }
      }
    });
  }

  var CONTROLS = "button, input, select, textarea, summary, a[href]";

  function describe(control) {
    // What makes a control the same one after a swap: its name and value (a choice), else
    // its words (Reveal, Next).
    var name = control.getAttribute("name");
    return control.tagName + "|" + (name ? name + "=" + control.value : control.textContent.trim());
  }

  function focusedControl() {
    // The control that has focus (a button pressed from the keyboard, a ticked box), to
    // give it focus again after the swap, so the next Tab or Enter goes where it would have.
    var active = document.activeElement;
    if (!active || !live.contains(active) || !active.matches(CONTROLS)) { return null; }
    var controls = Array.prototype.slice.call(live.querySelectorAll(CONTROLS));
    return { index: controls.indexOf(active), key: describe(active) };
  }

  function refocus(focused) {
    var controls = Array.prototype.slice.call(live.querySelectorAll(CONTROLS));
    var there = controls[focused.index];
    var same = there && describe(there) === focused.key ? there
      : controls.filter(function (c) { return describe(c) === focused.key; })[0];
    if (!same && there && there.tagName === focused.key.split("|")[0]) {
      same = there;  // the same place, its words changed ("Vote" now says it is saved)
    }
    if (same && document.activeElement !== same) { same.focus(); }
  }

  function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(live.dataset.state, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status + " " + response.statusText); }
        return response.text();
      })
      .then(function (html) {
        var fields = kept();
        var opened = Array.prototype.map.call(
          live.querySelectorAll("details[open][id]"), function (d) { return d.id; });
        var focused = focusedControl();
        live.innerHTML = html;
        restore(fields);
        opened.forEach(function (id) {  // a section the facilitator opened stays open
          var details = document.getElementById(id);
          if (details) { details.open = true; }
        });
        if (focused) { refocus(focused); }
        live.dataset.version = String(Number(live.dataset.version || 0) + 1);
        say("");
      })
      .catch(function (error) { say("Could not update: " + error.message); })
      .finally(function () {
        busy = false;
        if (again) { again = false; refresh(); }
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!live.contains(form)) { return; }
    event.preventDefault();
    var body = new URLSearchParams(new FormData(form, event.submitter));
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
                         headers: { "X-CSRF-Token": csrf } })
      .then(function (response) {
        if (!response.ok) {
          return response.text().then(function (text) { say(text); });
        }
        refresh();
      })
      .catch(function (error) { say("Not sent: " + error.message + ". Try again."); });
  });

  // "None of these" (an exclusive choice) stands alone: ticking it clears the others in its
  // form, ticking another clears it. The server refuses a mixed selection all the same.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked || !box.form || !live.contains(box)) { return; }
    box.form.querySelectorAll("input[type=checkbox][name='" + box.name + "']")
      .forEach(function (other) {
        if (other !== box && (box.hasAttribute("data-exclusive") ||
                              other.hasAttribute("data-exclusive"))) {
          other.checked = false;
        }
      });
  });

  var events = new EventSource(live.dataset.events);
  events.onmessage = function () { refresh(); };
  events.onerror = function () { say("Reconnecting…"); };
  events.onopen = function () { say(""); };
})();
