// Backcare's service worker: keeps the guide readable offline (served as /sw.js, scope /).
//
// After the first visit it keeps every reader page and the files they use. Online, pages come
// from the network; offline, the kept copy is shown with a note of when it was saved (or last
// found unchanged online), or the offline page with how to get help now. The list below carries a
// version made from the content: when the copy changes, the browser sees a new script on the next
// visit and this worker keeps everything again, then drops the old copies.
// It never keeps admin pages, anything sent with a login cookie, or answers marked private.
"use strict";

const MANIFEST = {{ manifest|safe }};
const CACHE = "backcare-" + MANIFEST.version;
const SAVED_HEADER = "X-Backcare-Saved";
const OUT_OF_DATE_AFTER = 24 * 60 * 60 * 1000; // a day, in milliseconds

self.addEventListener("install", (event) => {
  event.waitUntil(keepEverything().then(() => self.skipWaiting()));
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

// Fetched without cookies, so an editor's phone keeps what readers see, never a draft or preview.
// If any page fails, the install fails and the copies from the last version stay in use.
async function keepEverything() {
  const cache = await caches.open(CACHE);
  const addresses = [...MANIFEST.pages, ...MANIFEST.files];
  await Promise.all(addresses.map(async (address) => {
    const response = await fetch(address, { credentials: "omit", cache: "no-cache" });
    if (!keepable(response)) throw new Error(`Not kept: ${address} answered ${response.status}`);
    await cache.put(address, await stamped(response));
  }));
}

async function dropOldCopies() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith("backcare-") && name !== CACHE)
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
  for (const name of ["Content-Encoding", "Content-Length", "Vary"]) headers.delete(name);
  headers.set(SAVED_HEADER, new Date().toISOString());
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
}

// Online, the network's page; offline, the kept copy.
async function page(event, url) {
  try {
    const response = await fetch(event.request);
    if (MANIFEST.pages.includes(url.pathname)) event.waitUntil(confirm(url.pathname, response));
    return response;
  } catch (offline) {
    const cache = await caches.open(CACHE);
    const kept = await cache.match(url.pathname);
    if (kept) return withOfflineNote(kept, true);
    const offlinePage = await cache.match(MANIFEST.offline);
    return offlinePage ? withOfflineNote(offlinePage, false) : Response.error();
  }
}

// A kept copy that the site still serves unchanged (the same ETag) is dated today. A different
// page is not kept here: it may be the browser's copy from a minute ago, and a change to the
// copy gives a new version of this worker, which keeps every page afresh.
async function confirm(address, response) {
  const tag = response.headers.get("ETag");
  const cache = await caches.open(CACHE);
  const kept = await cache.match(address);
  if (tag && kept && keepable(response) && kept.headers.get("ETag") === tag) {
    await cache.put(address, await stamped(kept));
  }
}

// Files too come from the network first: hashed files are answered by the browser's own cache
// without a request, and in development an edited stylesheet shows at once.
async function file(request, url) {
  try {
    return await fetch(request);
  } catch (offline) {
    return (await (await caches.open(CACHE)).match(url.pathname)) || Response.error();
  }
}

// Puts a note at the top of the main content: offline, with the date the copy was saved, and
// after a day a warning that it may be out of date. The offline page already says "offline",
// so it only gets the warning.
async function withOfflineNote(response, sayOffline) {
  const saved = new Date(response.headers.get(SAVED_HEADER) || 0);
  const day = saved.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  const old = Date.now() - saved.getTime() > OUT_OF_DATE_AFTER;
  if (!old && !sayOffline) return response;
  const note = old
    ? `<p class="offline-note offline-note--old" role="status"><strong>This copy may be out of date.</strong> `
      + `You are offline. It was saved on ${day}. In an emergency, call 999.</p>`
    : `<p class="offline-note" role="status">You are offline. This copy was saved on ${day}.</p>`;
  const html = (await response.text()).replace(/<main\b[^>]*>/, (tag) => tag + "\n" + note);
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  headers.delete("ETag");
  return new Response(html, { status: 200, headers });
}
