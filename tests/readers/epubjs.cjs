// Reads an EPUB in epub.js in headless Chromium, as a reader would, and says what it sees.
//
//   node epubjs.cjs < request.json > results.json
//
// request: {"epub": path, "modules": the node_modules folder of epubjs and playwright-core,
//           "chromium": path, "width": 600, "height": 900, "steps": [step, ...]}
// A step is one of
//   {"op": "pages"}                           the page-list as epub.js reads it: [{label, href}]
//   {"op": "page", "label": "12"}             go to a print page through the page-list
//   {"op": "show", "href": "a.xhtml#id"}      display a location
//   {"op": "follow", "href": "a.xhtml", "selector": "a.locator", "index": 0}
//                                             show that link in its document, click it with the mouse
//   {"op": "screenshot", "path": "x.png"}     the screen as a PNG
// and gives, for page, show and follow: {shown (the file shown), target (the id aimed at), found,
// visible (the target is on the screen), screen (the first words on the screen), words (the words
// shown from the target on)} and for follow also {relocated, href (the link's href)}.
// The page, epub.js and the EPUB are served from 127.0.0.1; any other request is refused.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const FILES = {
  "/": [path.join(__dirname, "epubjs.html"), "text/html"],
  "/lib/epub.min.js": [["epubjs", "dist", "epub.min.js"], "text/javascript"],
  "/lib/jszip.min.js": [["jszip", "dist", "jszip.min.js"], "text/javascript"],
  "/book.epub": [null, "application/epub+zip"],
};

function serve(request) {
  const server = http.createServer((req, res) => {
    const entry = FILES[new URL(req.url, "http://x").pathname];
    if (!entry) { res.writeHead(404).end(); return; }
    const [where, type] = entry;
    const file = where === null ? request.epub : Array.isArray(where) ? path.join(request.modules, ...where) : where;
    res.writeHead(200, { "content-type": type }).end(fs.readFileSync(file));
  });
  return new Promise(listening => server.listen(0, "127.0.0.1", () => listening(server)));
}

async function run(request) {
  const { chromium } = require(path.join(request.modules, "playwright-core"));
  const server = await serve(request);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: request.chromium, args: ["--no-sandbox"] });
  const errors = [];
  try {
    const page = await browser.newPage({ viewport: { width: request.width || 600, height: request.height || 900 } });
    page.on("pageerror", error => errors.push(String(error)));
    await page.route("**/*", route => (route.request().url().startsWith(origin) ? route.continue() : route.abort()));
    await page.goto(`${origin}/`);
    await page.evaluate(url => openBook(url), `${origin}/book.epub`);
    const results = [];
    for (const step of request.steps) results.push(await perform(page, step));
    return { results, errors };
  } finally {
    await browser.close();
    server.close();
  }
}

async function perform(page, step) {
  switch (step.op) {
    case "pages":
      return page.evaluate(() => pageList());
    case "page":
      return page.evaluate(label => goToPage(label), step.label);
    case "show":
      return page.evaluate(href => show(href), step.href);
    case "follow": {
      const link = await page.evaluate(([href, selector, index]) => showElement(href, selector, index),
        [step.href, step.selector, step.index || 0]);
      if (link.error) return link;
      await page.evaluate(() => armRelocation());
      await page.mouse.click(link.center.x, link.center.y);
      return { href: link.href, ...(await page.evaluate(href => afterRelocation(href), link.href)) };
    }
    case "screenshot":
      await page.screenshot({ path: step.path });
      return { path: step.path };
    default:
      throw new Error(`unknown step ${JSON.stringify(step)}`);
  }
}

let input = "";
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
  run(JSON.parse(input)).then(
    output => process.stdout.write(JSON.stringify(output)),
    error => { process.stderr.write(`${error.stack || error}\n`); process.exitCode = 1; },
  );
});
