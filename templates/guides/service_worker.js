// Backcare's service worker: keeps the guide readable offline (served as /sw.js, scope /).
//
// After the first visit it keeps every reader page and the files they use. Online, pages come
// from the network; offline (or when the network is too slow), the kept copy is shown with a
// note of when it was saved, or the offline page with how to get help now.
// The list below carries a version made from the content and the templates: when either
// changes, the browser sees a new script on the next visit, and this worker keeps everything
// again and then drops the old copies. Until the new copies are all kept, the old ones say they
// may be out of date.
// Admin pages are left alone. Pages are kept from requests without cookies, so an editor's
// phone keeps what readers see, and an answer marked private or no-store is never kept.
"use strict";

const MANIFEST = {{ manifest|safe }};
const CACHE = "backcare-" + MANIFEST.version;
const NEWEST = { cache: "backcare-newest", key: "/newest-version" }; // the newest version this phone has seen
const SAVED_HEADER = "X-Backcare-Saved";
const OUT_OF_DATE_AFTER = 24 * 60 * 60 * 1000; // a day, in milliseconds
const SLOW_AFTER = 5000; // milliseconds to wait for the network before showing the kept copy

self.addEventListener("install", (event) => {
  event.waitUntil(install());
});

self.addEventListener("activate", (event) => {
  event.waitUntil(dropOldCopies().then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(MANIFEST.leave_alone)) return;
  if (request.mode === "navigate") {
    event.respondWith(page(event, url));
  } else if (MANIFEST.files.includes(url.pathname)) {
    event.respondWith(file(request, url));
  }
});

// If any page fails (signal lost, a page withdrawn), the install fails, its partial copies are
// dropped, and the last version's copies stay, saying they may be out of date.
async function install() {
  const newest = await caches.open(NEWEST.cache);
  await newest.put(NEWEST.key, new Response(MANIFEST.version));
  try {
    await keepEverything();
  } catch (error) {
    await caches.delete(CACHE);
    throw error;
  }
  await self.skipWaiting();
}

// Pages are asked for with the version in the address, so no cache between here and the site
// can answer with a page from before the change; they are kept under their plain address.
async function keepEverything() {
  const cache = await caches.open(CACHE);
  const pages = MANIFEST.pages.map((address) => [address, `${address}?v=${MANIFEST.version}`]);
  const files = MANIFEST.files.map((address) => [address, address]);
  await Promise.all([...pages, ...files].map(async ([address, asked]) => {
    const response = await fetch(asked, { credentials: "omit", cache: "no-cache" });
    if (!keepable(response)) throw new Error(`Not kept: ${address} answered ${response.status}`);
    await cache.put(address, await stamped(response));
  }));
}

async function dropOldCopies() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => /^backcare-[0-9a-f]+$/.test(name) && name !== CACHE)
    .map((name) => caches.delete(name)));
}

// What readers may be given: staff pages say "private, no-store", and errors are never kept.
function keepable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.ok && response.type === "basic" && !response.redirected
    && !/\b(private|no-store)\b/.test(control);
}

// A kept copy records when it was saved. Its body is already decoded, and it is looked up by
// address alone.
async function stamped(response) {
  const headers = new Headers(response.headers);
  for (const name of ["Content-Encoding", "Content-Length", "Vary", "ETag"]) headers.delete(name);
  headers.set(SAVED_HEADER, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

// Online, the network's page; offline, the kept copy; the kept copy too if the network has not
// answered after SLOW_AFTER (then the network's page is still used to re-date the kept copy).
async function page(event, url) {
  const network = fetch(event.request);
  const kept = await keptCopy(url.pathname);
  // The copy to compare is taken before the page reads the answer (this reaction runs first).
  if (kept) event.waitUntil(network.then((response) => confirm(url.pathname, kept, response.clone()), () => null));
  try {
    const response = await (kept ? Promise.race([network, slow()]) : network);
    if (response) return response;
    return withNote(kept, "slow");
  } catch (offline) {
    if (kept) return withNote(kept, "offline");
    const offlinePage = await keptCopy(MANIFEST.offline);
    return offlinePage ? withNote(offlinePage, "offline-page") : Response.error();
  }
}

function slow() {
  return new Promise((done) => setTimeout(() => done(null), SLOW_AFTER));
}

async function keptCopy(address) {
  if (!(await caches.has(CACHE))) return undefined; // never re-create a copy already dropped
  return (await caches.open(CACHE)).match(address);
}

// A kept copy that the site still serves word for word is dated today. A different page is not
// kept here: it may be the browser's copy from a minute ago, and any change to the copy gives a
// new version of this worker, which keeps every page afresh.
async function confirm(address, kept, response) {
  if (!keepable(response) || !(await caches.has(CACHE))) return;
  const [now, before] = await Promise.all([response.text(), kept.clone().text()]);
  if (now === before) await (await caches.open(CACHE)).put(address, await stamped(kept));
}

// Files come from the network first too: hashed files are answered by the browser's own cache
// without a request, and in development an edited stylesheet shows at once.
async function file(request, url) {
  try {
    return await fetch(request);
  } catch (offline) {
    return (await keptCopy(url.pathname)) || Response.error();
  }
}

// Puts a note at the top of the main content: why this is the kept copy and the day it was
// saved; a warning if it is over a day old or a newer version has been seen. The offline page
// says "offline" in its heading, so it only gets the warning.
async function withNote(response, why) {
  const saved = new Date(response.headers.get(SAVED_HEADER) || 0);
  const day = saved.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  const time = `<time datetime="${saved.toISOString()}">${day}</time>`;
  const old = Date.now() - saved.getTime() > OUT_OF_DATE_AFTER || (await newestVersion()) !== MANIFEST.version;
  if (!old && why === "offline-page") return response;
  const reason = why === "slow" ? "The connection is slow." : "You are offline.";
  const note = old
    ? `<p class="offline-note offline-note--old"><strong>This copy may be out of date.</strong> `
      + `${reason} It was saved on ${time}. In an emergency, call 999.</p>`
    : `<p class="offline-note">${reason} This copy was saved on ${time}.</p>`;
  const html = (await response.text()).replace(/<main\b[^>]*>/, (tag) => tag + "\n" + note);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(html, { status: 200, headers });
}

async function newestVersion() {
  const seen = await (await caches.open(NEWEST.cache)).match(NEWEST.key);
  return seen ? seen.text() : MANIFEST.version;
}
