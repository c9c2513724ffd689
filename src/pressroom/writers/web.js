// pressroom's web edition: the search page's results. Every page reads whole without this script; the
// search data is JSON in the page (search.html), read as data and written into the page as text only.
"use strict";

(function () {
  const data = document.getElementById("search-data");
  const results = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  if (!data || !results || !status) return;

  const entries = JSON.parse(data.textContent);
  const query = new URLSearchParams(window.location.search).get("q") || "";
  const field = document.getElementById("q");
  if (field) field.value = query;

  // Letters compared without case or accents: "Cafe" finds "Café", "ANORA" finds "Anora".
  const folded = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
  const words = folded(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return;

  const found = entries
    .map((entry) => ({ entry, text: folded(entry.t) }))
    .filter(({ text }) => words.every((word) => text.includes(word)))
    .sort((a, b) => Number(Boolean(b.entry.k)) - Number(Boolean(a.entry.k)));  // index entries first

  status.textContent = found.length ? "" : status.dataset.none;
  for (const { entry, text } of found.slice(0, 100)) {
    const item = document.createElement("li");
    const link = document.createElement("a");
    link.href = entry.u;
    const at = text.indexOf(words[0]);
    const start = Math.max(0, at - 60);
    const excerpt = entry.t.slice(start, start + 200);
    link.textContent = (start > 0 ? "… " : "") + excerpt + (start + 200 < entry.t.length ? " …" : "");
    item.appendChild(link);
    results.appendChild(item);
  }
})();
