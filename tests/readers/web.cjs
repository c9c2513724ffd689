// Reads pressroom's web edition in headless Chromium, as a visitor would, and says what it sees.
//
//   node web.cjs < request.json > results.json
//
// request: {"root": the edition's folder, "modules": the node_modules folder of playwright-core and axe-core,
//           "chromium": path, "steps": [step, ...]}
// Every step opens a page of its own ({"path": "index.html", "width": 1280, "height": 900, "javascript": true,
// "dark": false (the reader's light or dark setting)} by default) and is one of
//   {"op": "load"}                             {errors, requests (to any other host), scroll (page wider than the
//                                              screen, in px), title}
//   {"op": "axe"}                              {violations: [{id, impact, nodes}]}: axe-core, WCAG 2.2 A and AA
//   {"op": "follow", "selector": "a.locator", "index": 0}
//                                              click that link: {href, url, target (the id aimed at), visible (its
//                                              element on the screen), text (its first words)}
//   {"op": "note"}                             click the first note's call, then its note's back link: {call (the
//                                              call's id), note, back}, each of these two as follow says; with
//                                              JavaScript, the note opened in place: {call, inPlace: {text, url,
//                                              closed (by its arrow), focused (the id then focused)}}
//   {"op": "search", "query": "Anora"}         type the query in the header's field and send it: {results: [{href,
//                                              text}], status}
//   {"op": "screenshot", "file": "x.png"}      the screen as a PNG
// The edition is served from 127.0.0.1; a request to any other host is refused and counted.
"use strict";
const fs = require("fs");
const http = require("http");
const path = require("path");

const TYPES = { ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".ttf": "font/ttf", ".woff2": "font/woff2", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
  ".pdf": "application/pdf" };

function serve(root) {
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/^\/+/, "") || "index.html";
    const file = path.resolve(root, name);
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] || "application/octet-stream" })
      .end(fs.readFileSync(file));
  });
  return new Promise(listening => server.listen(0, "127.0.0.1", () => listening(server)));
}

async function open(browser, origin, step) {
  const context = await browser.newContext({
    viewport: { width: step.width || 1280, height: step.height || 900 }, javaScriptEnabled: step.javascript !== false,
    colorScheme: step.dark ? "dark" : "light",
  });
  const page = await context.newPage();
  const seen = { errors: [], requests: [] };
  page.on("pageerror", error => seen.errors.push(String(error)));
  page.on("console", message => { if (message.type() === "error") seen.errors.push(message.text()); });
  await page.route("**/*", route => {
    const url = route.request().url();
    if (url.startsWith(origin)) return route.continue();
    seen.requests.push(url);
    return route.abort();
  });
  await page.goto(`${origin}/${step.path || "index.html"}`, { waitUntil: "load" });
  return { context, page, seen };
}

async function target(page) {
  return page.evaluate(() => {
    const id = decodeURIComponent(location.hash.slice(1));
    const element = id && document.getElementById(id);
    if (!element) return { url: location.href, target: id, visible: false, text: "" };
    const box = element.getBoundingClientRect();
    const visible = box.bottom > 0 && box.top < innerHeight && box.height + box.width > 0;
    const text = (element.innerText || element.textContent || "").trim().split(/\s+/).slice(0, 12).join(" ");
    return { url: location.href, target: id, visible, text };
  });
}

async function click(page, selector, index) {
  const link = page.locator(selector).nth(index || 0);
  const href = await link.getAttribute("href");
  await link.scrollIntoViewIfNeeded();
  await Promise.all([page.waitForURL(url => url.hash !== "" || !url.href.endsWith(".html")), link.click()]);
  await page.waitForTimeout(100);
  return { href, ...(await target(page)) };
}

async function perform(browser, origin, step, modules) {
  const { context, page, seen } = await open(browser, origin, step);
  try {
    if (step.op === "load") {
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      return { errors: seen.errors, requests: seen.requests, scroll, title: await page.title() };
    }
    if (step.op === "axe") {
      await page.addScriptTag({ content: fs.readFileSync(path.join(modules, "axe-core", "axe.min.js"), "utf8") });
      const found = await page.evaluate(async () => (await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
      })).violations.map(v => ({ id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" ")) })));
      return { violations: found, errors: seen.errors };
    }
    if (step.op === "follow") return { ...(await click(page, step.selector, step.index)), errors: seen.errors };
    if (step.op === "note") {
      const call = await page.locator("a.noteref").first().getAttribute("id");
      if (step.javascript !== false) {  // opened in place by web.js, closed by its arrow
        await page.locator("a.noteref").first().click();
        const panel = page.locator(".note-in-place");
        await panel.waitFor({ state: "visible", timeout: 5000 });
        const text = (await panel.innerText()).replace(/\s+/g, " ").trim();
        const url = page.url();
        await panel.locator("button.backlink").click();
        await page.waitForTimeout(100);
        const closed = (await panel.count()) === 0;
        const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
        return { call, inPlace: { text, url, closed, focused }, errors: seen.errors };
      }
      const note = await click(page, "a.noteref", 0);
      const back = await click(page, `[id="${note.target}"] a.backlink`, 0);
      return { call, note, back, errors: seen.errors };
    }
    if (step.op === "search") {
      await page.fill("#q", step.query);
      await Promise.all([page.waitForURL(/search\.html/), page.press("#q", "Enter")]);
      await page.waitForLoadState("load");
      const results = await page.$$eval("#search-results a", links => links.map(a => ({
        href: a.getAttribute("href"), text: a.textContent })));
      const status = await page.textContent("#search-status");
      return { results, status, errors: seen.errors, requests: seen.requests };
    }
    if (step.op === "screenshot") {
      await page.screenshot({ path: step.file, fullPage: false });
      return { errors: seen.errors };
    }
    throw new Error(`unknown step ${step.op}`);
  } finally {
    await context.close();
  }
}

async function run(request) {
  const { chromium } = require(path.join(request.modules, "playwright-core"));
  const server = await serve(request.root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: request.chromium, args: ["--no-sandbox"] });
  try {
    const results = [];
    for (const step of request.steps) results.push(await perform(browser, origin, step, request.modules));
    return { results };
  } finally {
    await browser.close();
    server.close();
  }
}

let input = "";
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
  run(JSON.parse(input)).then(
    out => process.stdout.write(JSON.stringify(out)),
    error => { process.stderr.write(String(error.stack || error)); process.exit(1); });
});
