// The map page: zoom, drag to pan, and focus around the topic panel.
// Everything works without it: the map scrolls, nodes are links, the panel has a close link.
(function () {
  "use strict";

  var LEVELS = [0.2, 0.3, 0.4, 0.5, 0.65, 0.8, 1, 1.25, 1.5];
  // What a learner wants from "Fit" is the lie of the land: where they are, what comes
  // next, still readable. A laptop shows the whole shipped map at a little over half size
  // (titles ~6.5 px, small but legible). A 360-px phone would need 15% for the 2,400-px
  // map: boxes become coloured dots and no title can be read, which is no overview. So Fit
  // fits the width but never goes below half size; when that still leaves part of the map
  // off screen, a note says how to see the rest (swipe, or pick a section under "Show").
  // The − button can still go smaller, for those who want the shape and not the words.
  var MIN_FIT = 0.5;

  function init() {
    var scroller = document.getElementById("map-scroller");
    var svg = document.getElementById("map-svg");
    if (!scroller || !svg) return;
    var width = Number(svg.dataset.width);
    var height = Number(svg.dataset.height);
    var zoom = 1;
    var tools = document.querySelector(".map-zoom");
    var level = tools && tools.querySelector(".map-zoom-level");
    var fitNote = document.getElementById("map-fit-note");

    function setZoom(next, anchorX, anchorY) {
      // Keep the point under the anchor (default: the middle of the view) where it is.
      var ax = anchorX === undefined ? scroller.clientWidth / 2 : anchorX;
      var ay = anchorY === undefined ? scroller.clientHeight / 2 : anchorY;
      var mapX = (scroller.scrollLeft + ax) / zoom;
      var mapY = (scroller.scrollTop + ay) / zoom;
      zoom = next;
      svg.setAttribute("width", Math.round(width * zoom));
      svg.setAttribute("height", Math.round(height * zoom));
      scroller.scrollLeft = mapX * zoom - ax;
      scroller.scrollTop = mapY * zoom - ay;
      if (level) level.textContent = Math.round(zoom * 100) + "%";
    }

    function step(direction) {
      var index = LEVELS.findIndex(function (z) { return z >= zoom - 0.001; });
      if (index < 0) index = LEVELS.length - 1;
      if (direction > 0 && LEVELS[index] <= zoom + 0.001) index += 1;
      if (direction < 0) index -= 1;
      setZoom(LEVELS[Math.max(0, Math.min(LEVELS.length - 1, index))]);
    }

    if (tools) {
      tools.hidden = false;
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("[data-zoom]");
        if (!button) return;
        var action = button.dataset.zoom;
        if (action === "in") step(1);
        else if (action === "out") step(-1);
        else fit();
        if (fitNote && action !== "fit") fitNote.hidden = true;
      });
    }

    function fit() {
      var whole = (scroller.clientWidth - 8) / width;
      if (whole >= MIN_FIT) {
        setZoom(Math.min(1, whole), 0, 0);
      } else {
        setZoom(MIN_FIT);  // around the middle of the view: the learner stays where they were
      }
      if (fitNote) fitNote.hidden = whole >= MIN_FIT;
    }

    // Drag the background to pan, with a mouse; touch and trackpads scroll natively.
    var drag = null;
    scroller.addEventListener("pointerdown", function (event) {
      if (event.pointerType !== "mouse" || event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, left: scroller.scrollLeft, top: scroller.scrollTop, moved: false };
    });
    scroller.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      drag.moved = true;
      scroller.classList.add("is-dragging");
      scroller.scrollLeft = drag.left - dx;
      scroller.scrollTop = drag.top - dy;
    });
    function endDrag() {
      if (drag && drag.moved) {
        // The click that ends a drag must not open the topic under the pointer.
        scroller.addEventListener("click", swallow, { capture: true, once: true });
        setTimeout(function () { scroller.removeEventListener("click", swallow, { capture: true }); }, 0);
      }
      drag = null;
      scroller.classList.remove("is-dragging");
    }
    function swallow(event) { event.preventDefault(); event.stopPropagation(); }
    scroller.addEventListener("pointerup", endDrag);
    scroller.addEventListener("pointerleave", endDrag);

    // Start on the open topic, or on the top of the map.
    var selected = svg.querySelector(".is-selected") || svg.querySelector(".map-node");
    if (selected) centre(scroller, selected, !svg.querySelector(".is-selected"));
  }

  function centre(scroller, node, topOnly) {
    var box = node.getBoundingClientRect();
    var view = scroller.getBoundingClientRect();
    scroller.scrollLeft += box.left + box.width / 2 - (view.left + view.width / 2);
    if (!topOnly) scroller.scrollTop += box.top + box.height / 2 - (view.top + view.height / 2);
  }

  function select(slug) {
    var scroller = document.getElementById("map-scroller");
    if (scroller) scroller.classList.toggle("has-panel", Boolean(slug));
    document.querySelectorAll(".map-node.is-selected").forEach(function (node) {
      node.classList.remove("is-selected");
    });
    var node = slug && document.getElementById("map-node-" + slug);
    if (node) node.classList.add("is-selected");
    return node;
  }

  function closePanel(panel) {
    var node = document.getElementById("map-node-" + panel.dataset.topic);
    panel.hidden = true;
    select(null);
    if (node) node.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The key starts open where there is room for it.
    if (window.matchMedia("(min-width: 900px)").matches) {
      document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
    }
    init();
  });

  // Find: a title from the suggestions opens its panel in place, as a click on its box
  // would, with the box centred. Anything else goes to the server, which finds the one
  // topic meant (the page then opens on it) or says what matched.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".map-find");
    if (!form || !window.htmx) return;
    var wanted = form.elements.namedItem("find").value.trim().toLowerCase();
    var option = Array.prototype.find.call(form.querySelectorAll("datalist option"), function (o) {
      return o.value.toLowerCase() === wanted;
    });
    var node = option && document.getElementById("map-node-" + option.dataset.slug);
    if (!node) return;
    event.preventDefault();
    var message = document.getElementById("map-find-message");
    if (message) message.hidden = true;
    centre(document.getElementById("map-scroller"), node, false);
    window.htmx.ajax("GET", node.getAttribute("hx-get"), { source: node, target: "#map-panel", swap: "outerHTML" });
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
  });

  document.addEventListener("click", function (event) {
    var close = event.target.closest("[data-map-close]");
    if (!close) return;
    event.preventDefault();
    closePanel(close.closest(".map-panel"));
  });

  document.addEventListener("keydown", function (event) {
    var panel = document.getElementById("map-panel");
    if (event.key === "Escape" && panel && !panel.hidden) closePanel(panel);
  });

  // htmx fires afterSwap on the new panel itself (its swap replaces the old one).
  document.addEventListener("htmx:afterSwap", function (event) {
    var panel = event.target;
    if (panel.id !== "map-panel") return;
    select(panel.dataset.topic);
    var config = event.detail.requestConfig;
    if (config && config.verb === "post") {
      // A status change: keep focus on the (new) pressed button, as before the swap.
      var pressed = panel.querySelector('.status-btn[aria-pressed="true"]');
      if (pressed) pressed.focus();
    } else {
      var heading = panel.querySelector("#map-panel-title");
      if (heading) heading.focus({ preventScroll: true });
      reveal(document.getElementById("map-node-" + panel.dataset.topic), panel);
    }
  });

  // Scroll the map so the open topic is not hidden under the panel.
  function reveal(node, panel) {
    var scroller = document.getElementById("map-scroller");
    if (!node || !scroller) return;
    var n = node.getBoundingClientRect();
    var p = panel.getBoundingClientRect();
    var s = scroller.getBoundingClientRect();
    var margin = 16;
    if (p.left > s.left + s.width / 3) {
      if (n.right > p.left - margin && n.top < p.bottom && n.bottom > p.top) {
        scroller.scrollBy({ left: n.right - p.left + margin });
      }
    } else {
      // Phone: the panel is a sheet over the lower screen. Bring the map up under the
      // sticky header and the topic to the top of the strip still showing above the sheet.
      var header = document.querySelector(".site-header");
      window.scrollBy(0, s.top - (header ? header.getBoundingClientRect().height : 0));
      n = node.getBoundingClientRect();
      s = scroller.getBoundingClientRect();
      scroller.scrollBy({ top: n.top - Math.max(s.top, 0) - margin, left: n.left + n.width / 2 - (s.left + s.width / 2) });
    }
  }
})();
