// "Add a row" without a round trip: the button would save the form and come back with one more
// empty row (that works without JavaScript); here the empty row is copied from its <template>
// in place, the formset's TOTAL_FORMS counts it, and the focus moves to its first field.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add-row]");
    if (!button) { return; }
    var prefix = button.dataset.addRow;
    var template = document.getElementById(prefix + "-empty-row");
    var total = document.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var body = document.querySelector("#" + prefix + "-table tbody");
    if (!template || !total || !body) { return; }
    event.preventDefault();
    var index = Number(total.value);
    var html = template.innerHTML.replace(/__prefix__/g, String(index))
      .replace(/__number__/g, String(index + 1));
    body.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    var first = body.lastElementChild.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  });
})();
