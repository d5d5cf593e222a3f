// Live results of a consultation. Progressive enhancement: the page shows the counts
// without this file. With it, the results socket says when the counts changed (at most
// every couple of seconds) and we fetch the results again from the server, which is the
// source of truth. On every (re)connect we send the change number we show; the server
// answers at once when we missed something.
(function () {
  "use strict";

  var root = document.querySelector("[data-consultation-results]");
  if (!root || !window.Campus || !("WebSocket" in window) || !window.fetch) return;
  var body = root.querySelector("[data-results-body]");
  var seq = parseInt(root.dataset.seq, 10) || 0;
  var loading = false, again = false;

  function refresh() {
    if (loading) { again = true; return; }
    loading = true;
    fetch(root.dataset.fragment, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("[data-seq]");
        var freshSeq = fresh ? parseInt(fresh.dataset.seq, 10) || 0 : 0;
        if (freshSeq < seq) return;  // an older answer overtaken by a newer one
        seq = freshSeq;
        root.dataset.seq = String(seq);
        body.innerHTML = html;
      })
      .catch(function () { /* the next change or reconnect fetches again */ })
      .then(function () {
        loading = false;
        if (again) { again = false; refresh(); }
      });
  }

  window.Campus.liveSocket(root.dataset.socket, {
    open: function (ws) { ws.send(JSON.stringify({ type: "resume", seq: seq })); },
    message: function (event) {
      if ((event.type === "results.changed" || event.type === "pong" || event.type === "hello")
          && typeof event.seq === "number" && event.seq > seq) {
        refresh();
      }
    }
  });
})();
