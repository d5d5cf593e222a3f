// Live unread count for the bell, over /ws/notificaciones/.
// The server is the source of truth: on every (re)connect it sends the count again,
// and we resume from the last notification id we saw.
(function () {
  "use strict";
  var bell = document.querySelector("[data-bell]");
  if (!bell || !("WebSocket" in window)) return;
  var countEl = bell.querySelector("[data-bell-count]");
  var labelEl = bell.querySelector("[data-bell-label]");
  var lastId = null;
  var retry = 0;

  function setCount(n) {
    countEl.textContent = n > 99 ? "99+" : String(n);
    countEl.hidden = n === 0;
    // The label is translated on the server; only its number changes here.
    if (labelEl) labelEl.textContent = labelEl.textContent.replace(/\d+/, String(n));
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/notificaciones/");
    socket.addEventListener("open", function () {
      retry = 0;
      if (lastId !== null) socket.send(JSON.stringify({ type: "resume", last_id: lastId }));
    });
    socket.addEventListener("message", function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (typeof event.unread === "number") setCount(event.unread);
      if (event.type === "hello" && lastId === null) lastId = event.last_id;
      if (event.type === "notification.created" && event.id > (lastId || 0)) {
        lastId = event.id;
        document.dispatchEvent(new CustomEvent("allas:notification", { detail: event }));
      }
    });
    socket.addEventListener("close", function (event) {
      if (event.code === 1000) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * Math.pow(2, retry) + Math.random() * 500);
    });
  }
  connect();
})();
