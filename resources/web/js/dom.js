/* The page's namespace (window.gisapp, which each later module extends) and its DOM helpers.
 *
 * Every piece of data reaches the page through textContent / attribute setters, never
 * innerHTML, so an attribute value that looks like HTML (an img tag with an onerror
 * handler) shows as text.
 */
(function (gisapp) {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null && text !== "") node.textContent = String(text);
    return node;
  }

  function stopEvents(node) {
    L.DomEvent.disableClickPropagation(node);
    L.DomEvent.disableScrollPropagation(node);
  }

  gisapp.dom = { el: el, stopEvents: stopEvents };
}(window.gisapp = {}));
