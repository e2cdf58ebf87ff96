// The error summary (GOV.UK pattern): on load the focus moves to it, so that a screen reader
// reads it and a sighted person sees it; a link in it moves the focus to its field (a plain
// anchor would scroll there but leave the focus behind).
(function () {
  "use strict";
  function focusField(id) {
    var target = document.getElementById(id);
    if (!target) { return false; }
    var details = target.closest("details");
    if (details) { details.open = true; }
    if (target.tagName === "FIELDSET" || target.tagName === "DIV") {
      target = target.querySelector("input, select, textarea") || target;
    }
    var label = document.querySelector("label[for='" + id + "']") || target;
    label.scrollIntoView();
    target.focus({ preventScroll: true });
    return true;
  }
  function init() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) { return; }
    var details = summary.closest("details");
    if (details) { details.open = true; }
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (link && focusField(link.getAttribute("href").slice(1))) { event.preventDefault(); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); }
  else { init(); }
})();
