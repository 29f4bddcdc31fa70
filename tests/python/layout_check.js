// Injected by the report's browser test before </body>: measures the laid-out page and
// writes what does not fit into <body data-layout="...">, read back with --dump-dom.
(function () {
  var TOLERANCE = 0.5; // px: sub-pixel rounding of glyph boxes
  document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  var page = document.documentElement.clientWidth;
  var problems = [];
  var checked = { svgText: 0, tableCells: 0, tables: 0, blocks: 0, overflow: 0 };
  function describe(el) {
    var owner = el.closest("section");
    var text = (el.textContent || "").trim().replace(/\s+/g, " ").slice(0, 60);
    return (owner ? "#" + owner.id + " " : "") + el.tagName.toLowerCase() + " '" + text + "'";
  }
  function outside(inner, outer) {
    return inner.left < outer.left - TOLERANCE || inner.right > outer.right + TOLERANCE ||
      inner.top < outer.top - TOLERANCE || inner.bottom > outer.bottom + TOLERANCE;
  }
  function report(kind, el, inner, outer) {
    problems.push({ kind: kind, element: describe(el),
      box: [inner.left, inner.top, inner.right, inner.bottom].map(Math.round),
      container: [outer.left, outer.top, outer.right, outer.bottom].map(Math.round) });
  }
  var pageBox = { left: 0, right: page, top: -1e9, bottom: 1e9 };
  // every chart label inside its chart's box, every chart inside the page
  document.querySelectorAll("svg.chart").forEach(function (svg) {
    var frame = svg.getBoundingClientRect();
    if (outside(frame, pageBox)) report("chart outside the page", svg, frame, pageBox);
    svg.querySelectorAll("text").forEach(function (text) {
      if (!text.textContent.trim()) return;
      checked.svgText += 1;
      var box = text.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(text).opacity === "0")
        report("chart label hidden", text, box, frame);
      else if (outside(box, frame)) report("chart label outside its chart", text, box, frame);
      else if (/\u2026$/.test(text.textContent.trim()))
        report("chart label truncated", text, box, frame);
    });
  });
  // every table inside its section and the page; no cell whose content overflows it
  document.querySelectorAll("table").forEach(function (table) {
    checked.tables += 1;
    var box = table.getBoundingClientRect();
    var section = table.closest("section").getBoundingClientRect();
    if (outside(box, pageBox)) report("table outside the page", table, box, pageBox);
    else if (outside(box, section)) report("table outside its section", table, box, section);
    table.querySelectorAll("th, td").forEach(function (cell) {
      checked.tableCells += 1;
      var cellBox = cell.getBoundingClientRect();
      if (cell.scrollWidth > cell.clientWidth + 1)
        report("cell content wider than its cell", cell, cellBox, cellBox);
      else if (outside(cellBox, box)) report("cell outside its table", cell, cellBox, box);
    });
  });
  // text blocks inside the page; no box that hides (clips or scrolls away) its content
  document.querySelectorAll("body *").forEach(function (el) {
    var style = getComputedStyle(el);
    if (style.display === "none" || el.closest("svg")) return;
    if (el.matches("h1, h2, h3, p, li, caption, figcaption, summary, .card, pre")) {
      checked.blocks += 1;
      var box = el.getBoundingClientRect();
      if (outside(box, pageBox)) report("text outside the page", el, box, pageBox);
    }
    if (["hidden", "clip", "auto", "scroll"].indexOf(style.overflowX) >= 0) {
      checked.overflow += 1;
      if (el.scrollWidth > el.clientWidth + 1) {
        var b = el.getBoundingClientRect();
        report("content wider than its box (overflow " + style.overflowX + ")", el, b, b);
      }
    }
  });
  document.body.setAttribute("data-layout", JSON.stringify({
    page: page, checked: checked, problems: problems }));
})();
