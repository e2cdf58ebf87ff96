// Nothing typed is lost: every change is kept in this browser (localStorage) until the server
// has saved it. If the connection drops or the session times out, the next visit offers to
// restore what was typed. The server-side autosave itself is htmx on the form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave-key]");
  if (!form) { return; }
  var key = form.dataset.autosaveKey;
  var status = document.getElementById("autosave-status");

  function snapshot() {
    var data = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "submit") { return; }
      if (el.type === "checkbox" || el.type === "radio") { data[el.name + "=" + el.value] = el.checked; }
      else if (el.multiple) { data[el.name] = Array.prototype.map.call(el.selectedOptions, function (o) { return o.value; }); }
      else { data[el.name] = el.value; }
    });
    return data;
  }
  function restore(data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        var k = el.name + "=" + el.value;
        if (k in data) { el.checked = data[k]; }
      } else if (el.multiple && el.name in data) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = data[el.name].indexOf(o.value) >= 0; });
      } else if (el.name in data && el.type !== "hidden") { el.value = data[el.name]; }
    });
  }
  // `base` is the server's version that what is kept builds on: what the page showed, or what
  // the last autosave stored.
  function keep() {
    localStorage.setItem(key, JSON.stringify({
      at: Date.now() / 1000, base: Number(form.dataset.serverUpdated), data: snapshot()
    }));
  }
  function differs(data) {
    var now = snapshot();
    return Object.keys(data).some(function (k) {
      return JSON.stringify(data[k]) !== JSON.stringify(now[k] === undefined ? data[k] : now[k]);
    });
  }
  var saved = localStorage.getItem(key);
  if (saved) {
    var entry = JSON.parse(saved);
    // Offered only when this browser holds something the page does not show, kept after the
    // server's last save: a copy of what the server already has is no loss (issue 10: the
    // banner said changes were lost on every later visit).
    var current = entry.base === undefined ? entry.at > Number(form.dataset.serverUpdated)
      : entry.base >= Number(form.dataset.serverUpdated);
    if (current && differs(entry.data)) {
      var banner = document.getElementById("restore-banner");
      banner.hidden = false;
      document.getElementById("restore-button").addEventListener("click", function () {
        restore(entry.data); banner.hidden = true; form.dispatchEvent(new Event("change"));
      });
      document.getElementById("discard-button").addEventListener("click", function () {
        localStorage.removeItem(key); banner.hidden = true;
      });
    } else { localStorage.removeItem(key); }
  }
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", keep);
  var sentAt = 0;
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    if (e.detail.elt === form) { sentAt = Date.now() / 1000; }
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    if (e.detail.elt !== form) { return; }
    var ok = e.detail.successful && e.detail.xhr.responseText.indexOf('data-autosave="saved"') >= 0;
    var kept = JSON.parse(localStorage.getItem(key) || "null");
    if (ok) {
      var stamp = /data-updated="([0-9.]+)"/.exec(e.detail.xhr.responseText);
      if (stamp) { form.dataset.serverUpdated = stamp[1]; }
      // Only what this request carried is saved: a change typed while it was on its way stays,
      // now building on the version just saved.
      if (!kept || kept.at <= sentAt) { localStorage.removeItem(key); } else { keep(); }
    } else if (kept) { keep(); }
    else if (!e.detail.successful || e.detail.xhr.responseURL.indexOf("/login/") >= 0) {
      status.textContent = status.dataset.offline;
    }
  });
  document.body.addEventListener("htmx:beforeSwap", function (e) {
    // A timed-out session answers with the login page: show the message, not the page.
    if (e.detail.elt === form && e.detail.xhr.responseURL.indexOf("/login/") >= 0) {
      e.detail.shouldSwap = false;
    }
  });
})();
