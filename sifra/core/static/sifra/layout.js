// Every page on every screen: tables scroll inside their own labelled box, and on small screens
// the main menu folds behind a button. Without JavaScript the menu stays open and tables still
// fit through CSS; nothing depends on this file to work.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function label(table) {
    var caption = table.querySelector("caption");
    if (caption) { return caption.textContent.trim(); }
    var el = table.previousElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) { el = el.previousElementSibling; }
    return el ? el.textContent.trim() : document.title;
  }

  function wrapTables(root) {
    (root || document).querySelectorAll("main table").forEach(function (table) {
      if (table.closest(".table-wrap, .vega-embed, #vg-tooltip-element")) { return; }
      var box = document.createElement("div");
      box.className = "table-wrap";
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", label(table));
      box.tabIndex = 0;  // keyboard users can scroll a wide table
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }

  function menu() {
    var header = document.querySelector(".site-header");
    var button = header && header.querySelector(".menu-toggle");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("menu-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  document.addEventListener("DOMContentLoaded", function () { wrapTables(document); menu(); });
  document.addEventListener("htmx:afterSwap", function (e) { wrapTables(e.target); });
})();
