// The search of a static site: reads ?q= from the address, finds the entities whose
// labels or acronyms contain it (ignoring case and accents) in search-index.json, and
// lists them under the form. Written with DOM methods only: nothing from the index is
// parsed as HTML. Without JavaScript the page lists the classes to browse instead.
(function () {
  "use strict";
  var results = document.getElementById("search-results");
  if (!results) return;
  var root = results.getAttribute("data-root") || "";
  var input = document.getElementById("q");
  var q = (new URLSearchParams(window.location.search).get("q") || "").trim();
  if (input) input.value = q;
  if (!q) return;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // How well a name matches: the whole name first, then its start, then any part of it.
  function rank(name, wanted) {
    var folded = fold(name);
    if (folded === wanted) return 0;
    if (folded.indexOf(wanted) === 0) return 1;
    return folded.indexOf(wanted) !== -1 ? 2 : -1;
  }

  function show(entries) {
    var wanted = fold(q);
    var hits = [];
    entries.forEach(function (entry, order) {
      var best = null;
      entry.names.forEach(function (name) {
        var r = rank(name, wanted);
        if (r !== -1 && (best === null || r < best.rank)) best = { rank: r, matched: name };
      });
      if (best) hits.push({ entry: entry, matched: best.matched, rank: best.rank, order: order });
    });
    hits.sort(function (a, b) {
      return a.rank - b.rank || a.order - b.order;
    });
    hits = hits.slice(0, 200);
    document.title = document.title.replace(/^Search:\s*/, "Search: " + q + " ");
    var heading = document.createElement("h2");
    heading.textContent = hits.length + (hits.length === 1 ? " match" : " matches") + " for \u201c" + q + "\u201d";
    results.appendChild(heading);
    if (hits.length === 0) {
      var none = document.createElement("p");
      none.textContent = "Nothing has a name or acronym containing \u201c" + q + "\u201d. Try a shorter part of the name.";
      results.appendChild(none);
      return;
    }
    var list = document.createElement("ul");
    hits.forEach(function (hit) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + hit.entry.href;
      link.textContent = hit.entry.label;
      item.appendChild(link);
      var note = "";
      if (hit.matched !== hit.entry.label) note += " (matched \u201c" + hit.matched + "\u201d)";
      if (hit.entry.types) note += " \u2014 " + hit.entry.types;
      if (note) {
        var muted = document.createElement("span");
        muted.className = "muted";
        muted.textContent = note;
        item.appendChild(muted);
      }
      list.appendChild(item);
    });
    results.appendChild(list);
  }

  fetch(results.getAttribute("data-index"))
    .then(function (response) {
      if (!response.ok) throw new Error("the search index answered " + response.status);
      return response.json();
    })
    .then(show)
    .catch(function (error) {
      var problem = document.createElement("p");
      problem.textContent = "The search index cannot be read: " + error.message;
      results.appendChild(problem);
    });
})();
