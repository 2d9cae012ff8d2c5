/* Angebotsfinder service worker: keeps one copy of this build so that the finder opens
   and answers without network after the first visit. Files with a content hash in their
   name never change; the page itself is asked from the network first (a newer build is
   seen at once) and taken from the copy when there is no network. */
"use strict";
var BUILD = "{build}";
var FILES = {files};
var CACHE = "finder-" + BUILD;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE)
      .then(function (cache) {
        /* a file with a content hash never changes: the copy the page just loaded will do */
        return cache.addAll(FILES.map(function (f) {
          return new Request(f, { cache: /\.[0-9a-f]{12}\./.test(f) ? "force-cache" : "no-cache" });
        }));
      })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf("finder-") === 0 && k !== CACHE; })
          .map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    var page = new URL("index.html", self.registration.scope).href;
    event.respondWith(
      fetch(request).catch(function () {
        return caches.open(CACHE).then(function (cache) { return cache.match(page); });
      })
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreSearch: true }).then(function (hit) {
        return hit || fetch(request);
      });
    })
  );
});
