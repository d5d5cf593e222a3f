// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The live pages' socket (Café debates, the bell): reconnects with exponential backoff
  // and full jitter (within 0.5 s, then 1 s, doubling up to 30 s; reset after 10 s
  // connected) so a restarted server or Redis is not hit by every open page at once,
  // while a member whose network blinked is back in the debate within a second; no retry after 1000 (closed on
  // purpose) or 4403 (no access); after a few handshakes refused in a row it waits until
  // the page is looked at again or the browser is back online; a 30 s heartbeat.
  // ``handlers``: open(ws) to resume, message(event) for each parsed frame, close(event).
  window.Campus = window.Campus || {};
  window.Campus.liveSocket = function (path, handlers) {
    var RETRY_BASE_MS = 500, RETRY_CAP_MS = 30000, STABLE_MS = 10000, REFUSALS_MAX = 5;
    var attempt = 0, refusals = 0, retryTimer = null, stableTimer = null, stopped = false;
    var channel = { socket: null };

    channel.send = function (data) {
      if (!channel.socket || channel.socket.readyState !== 1) return false;
      channel.socket.send(JSON.stringify(data));
      return true;
    };

    function reconnectLater() {
      var delay = Math.random() * Math.min(RETRY_CAP_MS, RETRY_BASE_MS * Math.pow(2, attempt));
      attempt += 1;
      retryTimer = setTimeout(connect, delay);
    }

    function connect() {
      retryTimer = null;
      if (stopped) return;
      var scheme = location.protocol === "https:" ? "wss://" : "ws://";
      var ws = new WebSocket(scheme + location.host + path);
      var opened = false;
      channel.socket = ws;
      ws.addEventListener("open", function () {
        opened = true;
        refusals = 0;
        // Only a connection that stays up resets the backoff (a server that accepts and
        // closes at once with 4503 keeps backing off).
        stableTimer = setTimeout(function () { attempt = 0; }, STABLE_MS);
        if (handlers.open) handlers.open(ws);
      });
      ws.addEventListener("message", function (message) {
        var event;
        try { event = JSON.parse(message.data); } catch (e) { return; }
        handlers.message(event);
      });
      ws.addEventListener("close", function (event) {
        clearTimeout(stableTimer);
        if (handlers.close) handlers.close(event);
        if (event.code === 1000 || event.code === 4403) { stopped = true; return; }
        // Closed before it opened: refused (no access, signed out) or the server is
        // unreachable. A few tries, then wait until the page is looked at again.
        if (!opened && ++refusals >= REFUSALS_MAX) return;
        reconnectLater();  // 4503 "try again", 1006 network, 1011/1012 server restart
      });
    }

    function wake() {
      if (stopped || retryTimer || (channel.socket && channel.socket.readyState <= 1)) return;
      attempt = 0;
      refusals = 0;
      connect();
    }
    window.addEventListener("online", wake);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") wake();
    });
    // The heartbeat keeps a member counted as present and lets the server notice a
    // Redis restart and ask for a fresh start.
    setInterval(function () { channel.send({ type: "ping" }); }, 30000);
    connect();
    return channel;
  };

  var toggle = document.querySelector("[data-nav-toggle]");
  var menu = document.querySelector("[data-nav-menu]");
  if (toggle && menu) {
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  // Close an open dropdown with Escape or a click elsewhere.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
      details.removeAttribute("open");
      details.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (details) {
      if (!details.contains(event.target)) details.removeAttribute("open");
    });
  });
})();
