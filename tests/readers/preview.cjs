// Watches `pressroom preview` in headless Chromium while the source is edited, and says how long each edit
// took to show.
//
//   node preview.cjs < request.json > results.json
//
// request: {"url": the preview's address, "file": the source, "modules": the node_modules folder of
//           playwright-core, "chromium": path, "edits": [edit, ...], "pdf": wait for the PDF's link}
// An edit is {"text": the source's new text, "shows": words the page then holds} or {"text", "error": true}:
// the page then shows an error message (#preview-error). For each: {elapsed (ms from the write to the page
// showing it), shown (what showed: the page's words, or the message), text (the page's words then)}.
// With "pdf": {pdf: the PDF link's status and content type} once the link shows (at most 90 s).
"use strict";
const fs = require("fs");
const path = require("path");

async function until(page, probe, timeout, argument) {
  const started = Date.now();
  while (Date.now() - started < timeout) {
    try {
      const found = await page.evaluate(probe, argument);
      if (found) return found;
    } catch (error) { /* the page is reloading: ask again */ }
    await new Promise(resolve => setTimeout(resolve, 25));
  }
  return null;
}

async function run(request) {
  const { chromium } = require(path.join(request.modules, "playwright-core"));
  const browser = await chromium.launch({ executablePath: request.chromium, args: ["--no-sandbox"] });
  const origin = new URL(request.url).origin;
  const errors = [], requests = [];
  try {
    const page = await browser.newPage();
    page.on("pageerror", error => errors.push(String(error)));
    await page.route("**/*", route => {
      if (route.request().url().startsWith(origin)) return route.continue();
      requests.push(route.request().url());
      return route.abort();
    });
    await page.goto(request.url, { waitUntil: "load" });
    await page.waitForTimeout(300);  // the event stream opened
    const results = [];
    for (const edit of request.edits) {
      const started = Date.now();
      fs.writeFileSync(request.file, edit.text);
      const shown = edit.error
        ? await until(page, () => { const b = document.getElementById("preview-error"); return b && !b.hidden && b.textContent; }, 10000)
        : await until(page, words => document.body.innerText.includes(words) && words, 10000, edit.shows);
      const elapsed = Date.now() - started;
      const text = await page.evaluate(() => document.body.innerText).catch(() => "");
      results.push({ elapsed, shown, text });
    }
    const out = { results, errors, requests };
    if (request.pdf) {
      const href = await until(page, () => { const a = document.querySelector("#preview-pdf a"); return a && a.href; }, 90000);
      if (href) {
        const response = await page.request.get(href);
        out.pdf = { status: response.status(), type: response.headers()["content-type"] };
      } else {
        out.pdf = null;
      }
    }
    return out;
  } finally {
    await browser.close();
  }
}

let input = "";
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
  run(JSON.parse(input)).then(
    out => process.stdout.write(JSON.stringify(out)),
    error => { process.stderr.write(String(error.stack || error)); process.exit(1); });
});
