// Live unread count for the bell, over /ws/notificaciones/.
// The server is the source of truth: on every (re)connect it sends the count again,
// and we resume from the last notification id we saw. Reconnects back off exponentially
// with full jitter (1 s doubling up to 30 s), so a restarted server or Redis is not hit
// by every open page at the same instant.
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell]");
  if (!bell || !("WebSocket" in window)) return;
  var countEl = bell.querySelector("[data-bell-count]");
  var labelEl = bell.querySelector("[data-bell-label]");
  var lastId = null;
  var RETRY_BASE_MS = 1000, RETRY_CAP_MS = 30000, STABLE_MS = 10000, REFUSALS_MAX = 5;
  var socket = null, attempt = 0, refusals = 0, retryTimer = null, stableTimer = null;
  var stopped = false;

  function setCount(n) {
    countEl.textContent = n > 99 ? "99+" : String(n);
    countEl.hidden = n === 0;
    // The label is translated on the server; only its number changes here.
    if (labelEl) labelEl.textContent = labelEl.textContent.replace(/\d+/, String(n));
  }

  function reconnectLater() {
    var delay = Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * Math.pow(2, attempt));
    attempt += 1;
    retryTimer = setTimeout(connect, delay);
  }

  function connect() {
    retryTimer = null;
    if (stopped) return;
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var ws = new WebSocket(scheme + location.host + "/ws/notificaciones/");
    var opened = false;
    socket = ws;
    ws.addEventListener("open", function () {
      opened = true;
      refusals = 0;
      stableTimer = setTimeout(function () { attempt = 0; }, STABLE_MS);
      if (lastId !== null) ws.send(JSON.stringify({ type: "resume", last_id: lastId }));
    });
    ws.addEventListener("message", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (typeof event.unread === "number") setCount(event.unread);
      if (event.type === "hello" && lastId === null) lastId = event.last_id;
      if (event.type === "notification.created" && event.id > (lastId || 0)) {
        lastId = event.id;
        document.dispatchEvent(new CustomEvent("allas:notification", { detail: event }));
      }
    });
    ws.addEventListener("close", function (event) {
      clearTimeout(stableTimer);
      if (event.code === 1000 || event.code === 4403) { stopped = true; return; }
      // Closed before it opened: refused (signed out) or the server is unreachable.
      // A few tries, then wait until the page is looked at again.
      if (!opened && ++refusals >= REFUSALS_MAX) return;
      reconnectLater();  // 4503 "try again", 1006 network, 1011/1012 server restart
    });
  }

  function wake() {
    if (stopped || retryTimer || (socket && socket.readyState <= 1)) return;
    attempt = 0;
    refusals = 0;
    connect();
  }
  // A heartbeat: it lets the server notice a Redis restart and ask for a fresh start.
  setInterval(function () {
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "ping" }));
  }, 30000);
  window.addEventListener("online", wake);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") wake();
  });
  connect();
})();
