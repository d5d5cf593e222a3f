/* The campaign's live counter: one socket per page, anonymous readers included.
   Protocol (participation/campaigns/consumers.py): send {"type": "resume", "last_id": N}
   after "hello"; "signatures.added" / "signatures.removed" carry the new count and the
   campaign's change number as "id"; "ping" every 30 s. On a close other than 4403 the
   page reconnects with backoff and jitter and resumes from the last id it saw. */
(function () {
  "use strict";
  var counter = document.querySelector("[data-campaign-live]");
  if (!counter || !("WebSocket" in window)) return;
  var number = counter.querySelector("[data-campaign-count]");
  var label = counter.querySelector(".campaign-counter__label");
  var announce = document.querySelector("[data-campaign-announce]");
  var lastId = parseInt(counter.getAttribute("data-last-id"), 10) || 0;
  var attempt = 0;
  var ping = null;

  function show(count) {
    number.textContent = String(count);
    label.textContent = count === 1 ? label.getAttribute("data-one") : label.getAttribute("data-many");
    counter.setAttribute("data-count", String(count));
  }

  function say(names) {
    if (!announce || !names.length) return;
    announce.textContent = announce.getAttribute("data-template").replace("{names}", names.join(", "));
  }

  function handle(event) {
    if (typeof event.id === "number" && event.id > lastId) lastId = event.id;
    if (typeof event.count === "number") show(event.count);
    if (event.type === "signatures.added" && event.signatures) {
      say(event.signatures.map(function (s) { return s.organisation + " (" + s.city + ")"; }));
    }
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + counter.getAttribute("data-campaign-live"));
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (e) { return; }
      if (event.type === "hello") {
        attempt = 0;
        socket.send(JSON.stringify({ type: "resume", last_id: lastId }));
      } else if (event.type === "batch") {
        event.events.forEach(handle);
      } else if (event.type === "resume.done" || event.type === "pong") {
        if (typeof event.count === "number") show(event.count);
        if (typeof event.last_id === "number" && event.last_id > lastId) lastId = event.last_id;
      } else {
        handle(event);
      }
    };
    socket.onopen = function () {
      ping = setInterval(function () { socket.send(JSON.stringify({ type: "ping" })); }, 30000);
    };
    socket.onclose = function (closing) {
      clearInterval(ping);
      if (closing.code === 4403) return;
      attempt += 1;
      var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }
  counter.setAttribute("data-count", number.textContent.trim());
  connect();
})();
