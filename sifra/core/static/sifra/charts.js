// Draws every element with data-vega-spec="<id of a json_script>" with vega-embed.
// The server builds the Vega-Lite specification; the page only renders it.
(function () {
  "use strict";
  function draw(el) {
    var source = document.getElementById(el.dataset.vegaSpec);
    if (!source || !window.vegaEmbed) { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(el, spec, { actions: false, renderer: "svg" }).then(function () {
      el.dataset.rendered = "true";
    });
  }
  function drawAll(root) {
    (root || document).querySelectorAll("[data-vega-spec]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
})();
