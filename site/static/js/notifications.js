// Live unread count for the bell, over /ws/notificaciones/.
// The server is the source of truth: on every (re)connect it sends the count again,
// and we resume from the last notification id we saw. Reconnects back off exponentially
// with full jitter (Campus.liveSocket: 0.5 s doubling up to 30 s), so a restarted server or Redis is not hit
// by every open page at the same instant.
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell]");
  if (!bell || !("WebSocket" in window) || !window.Campus) return;
  var countEl = bell.querySelector("[data-bell-count]");
  var labelEl = bell.querySelector("[data-bell-label]");
  var lastId = null;

  function setCount(n) {
    countEl.textContent = n > 99 ? "99+" : String(n);
    countEl.hidden = n === 0;
    // The label is translated on the server; only its number changes here.
    if (labelEl) labelEl.textContent = labelEl.textContent.replace(/\d+/, String(n));
  }

  // Campus.liveSocket (campus.js) reconnects with backoff and jitter and sends the heartbeat.
  Campus.liveSocket("/ws/notificaciones/", {
    open: function (ws) {
      if (lastId !== null) ws.send(JSON.stringify({ type: "resume", last_id: lastId }));
    },
    message: function (event) {
      if (typeof event.unread === "number") setCount(event.unread);
      if (event.type === "hello" && lastId === null) lastId = event.last_id;
      if (event.type === "notification.created" && event.id > (lastId || 0)) {
        lastId = event.id;
        document.dispatchEvent(new CustomEvent("allas:notification", { detail: event }));
      }
    },
  });
})();
