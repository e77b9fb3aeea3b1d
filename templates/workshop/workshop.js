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
      fields[field.id] = { question: field.dataset.keep, value: field.value,
                           start: field.selectionStart, end: field.selectionEnd,
                           focused: document.activeElement === field,
                           typed: field.tagName === "SELECT"
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
      if (old.typed) { field.value = old.value; }
      if (old.focused) {
        field.focus();
        if (field.setSelectionRange) { field.setSelectionRange(old.start, old.end); }
      }
    });
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
        var focusedName = document.activeElement && document.activeElement.closest("#live")
          ? document.activeElement.getAttribute("name") + "=" + document.activeElement.value : null;
        live.innerHTML = html;
        restore(fields);
        opened.forEach(function (id) {  // a section the facilitator opened stays open
          var details = document.getElementById(id);
          if (details) { details.open = true; }
        });
        if (focusedName) {
          var parts = focusedName.split("=");
          var same = live.querySelector("button[name='" + parts[0] + "'][value='" + parts[1] + "']");
          if (same) { same.focus(); }
        }
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

  var events = new EventSource(live.dataset.events);
  events.onmessage = function () { refresh(); };
  events.onerror = function () { say("Reconnecting…"); };
  events.onopen = function () { say(""); };
})();
