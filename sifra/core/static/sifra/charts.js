// Draws every element with data-vega-spec="<id of a json_script>" with vega-embed.
// The server builds the Vega-Lite specification; the page only renders it.
(function () {
  "use strict";
  // The Content-Security-Policy allows no eval and no inline style. `ast: true` makes vega-embed
  // evaluate expressions with vega-interpreter (bundled in vega-embed 7.3.0) instead of
  // `new Function`; its own <style> blocks (embed and tooltip) are off and live in sifra.css.
  var EMBED_OPTIONS = {
    actions: false,
    renderer: "svg",
    ast: true,
    defaultStyle: false,
    tooltip: { disableDefaultStyle: true }
  };
  // The page's language: months, thousands and decimals as the server's chart_locale() says.
  function locale() {
    var source = document.getElementById("chart-locale");
    return source ? JSON.parse(source.textContent) : null;
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.vegaSpec);
    if (!source || !window.vegaEmbed) { return; }
    var spec = JSON.parse(source.textContent);
    var loc = locale();
    if (loc) {
      spec.config = Object.assign({}, spec.config || {}, { locale: loc });
    }
    window.vegaEmbed(el, spec, EMBED_OPTIONS).then(function () {
      el.dataset.rendered = "true";
    });
  }
  function drawAll(root) {
    (root || document).querySelectorAll("[data-vega-spec]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
})();
