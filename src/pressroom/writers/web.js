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
    // about 200 letters around the first word found, cut at spaces
    const at = text.indexOf(words[0]);
    const start = at > 60 ? entry.t.indexOf(" ", at - 60) + 1 : 0;
    const cut = entry.t.lastIndexOf(" ", start + 200);
    const end = start + 200 >= entry.t.length || cut <= start ? entry.t.length : cut;
    link.textContent = (start > 0 ? "… " : "") + entry.t.slice(start, end) + (end < entry.t.length ? " …" : "");
    item.appendChild(link);
    results.appendChild(item);
  }
})();

// A note's call opens its note in place, under the paragraph that calls it; the note's arrow (or Escape)
// closes it and returns to the call. Without this script the call links to the note at the end of its
// section, and the note's arrow links back.
(function () {
  let open = null;

  const close = () => {
    if (!open) return;
    const { panel, call } = open;
    open = null;
    panel.remove();
    call.setAttribute("aria-expanded", "false");
    call.focus();
  };

  document.addEventListener("click", (event) => {
    const call = event.target.closest && event.target.closest("a.noteref");
    if (!call) return;
    const note = document.getElementById(decodeURIComponent(call.hash.slice(1)));
    if (!note) return;
    event.preventDefault();
    const again = open && open.call === call;
    close();
    if (again) return;
    const panel = document.createElement("aside");
    panel.className = "note-in-place";
    panel.setAttribute("role", "note");
    panel.tabIndex = -1;
    const body = note.cloneNode(true);
    for (const element of [body, ...body.querySelectorAll("[id]")]) element.removeAttribute("id");
    const back = body.querySelector("a.backlink");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "backlink";
    button.textContent = "↩";
    button.setAttribute("aria-label", back ? back.getAttribute("aria-label") : "");
    button.addEventListener("click", close);
    if (back) back.replaceWith(button); else body.appendChild(button);
    panel.append(...body.childNodes);
    const block = call.closest("p, li, blockquote, figcaption, h1, h2, h3, h4, h5, h6") || call;
    block.after(panel);
    call.setAttribute("aria-expanded", "true");
    open = { panel, call };
    panel.focus();
  });

  document.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
})();
