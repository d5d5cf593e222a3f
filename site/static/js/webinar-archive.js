/* Archive of a past event: chapters that seek the recording.
   Without JavaScript, or with a player that takes no commands, the chapters stay a
   list with their times. With a player that does (YouTube and Vimeo through their
   postMessage APIs, a same-origin page with a <video>), each chapter becomes a button
   that moves the recording to its time. */
(function () {
  "use strict";
  var list = document.querySelector("[data-chapters]");
  var frame = document.querySelector("iframe[data-player]");
  if (!list || !frame) return;
  var kind = frame.getAttribute("data-player");

  function ownVideo() {
    try {
      var doc = frame.contentDocument;
      return doc ? doc.querySelector("video") : null;
    } catch (e) { return null; }  // another origin after all
  }

  function seek(seconds) {
    var target = frame.contentWindow;
    if (kind === "youtube" && target) {
      target.postMessage(JSON.stringify({ event: "command", func: "seekTo", args: [seconds, true] }), "*");
      target.postMessage(JSON.stringify({ event: "command", func: "playVideo", args: [] }), "*");
      return true;
    }
    if (kind === "vimeo" && target) {
      target.postMessage(JSON.stringify({ method: "setCurrentTime", value: seconds }), "*");
      target.postMessage(JSON.stringify({ method: "play" }), "*");
      return true;
    }
    var video = kind === "self" ? ownVideo() : null;
    if (video) {
      video.currentTime = seconds;
      if (video.play) { try { video.play(); } catch (e) { /* autoplay refused */ } }
      return true;
    }
    return false;
  }

  function enhance() {
    if (kind !== "youtube" && kind !== "vimeo" && !ownVideo()) return;
    var items = list.querySelectorAll("li[data-seconds]");
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var button = document.createElement("button");
      button.type = "button";
      button.className = "chapter-list__seek";
      button.setAttribute("data-seconds", item.getAttribute("data-seconds"));
      while (item.firstChild) button.appendChild(item.firstChild);
      item.appendChild(button);
    }
    list.classList.add("chapter-list--seekable");
    list.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-seconds]") : null;
      if (!button) return;
      var seconds = parseInt(button.getAttribute("data-seconds"), 10) || 0;
      if (seek(seconds)) {
        var current = list.querySelector("[aria-current]");
        if (current) current.removeAttribute("aria-current");
        button.setAttribute("aria-current", "true");
        frame.scrollIntoView({ block: "nearest", behavior: "smooth" });
      }
    });
  }

  // A same-origin player is only readable once loaded (the iframe is lazy).
  if (kind === "self") frame.addEventListener("load", enhance, { once: true });
  else enhance();
})();
