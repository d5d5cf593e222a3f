// The live room of a webinar: questions, votes, moderation and polls as they happen.
// Progressive enhancement only: every form posts to the room page without this file.
// With it, a form travels over the room socket while the socket is open (and posts as
// usual when it is not). The server is the source of truth: on every (re)connect we send
// the last question id and the room's change number we have, the server replays what
// we missed, and a question is kept once, by id. Every word shown comes from the
// template (data-*-label attributes and the <template> elements).
(function () {
  "use strict";

  var root = document.querySelector("[data-webinar-room]");
  if (!root || !window.Campus || !("WebSocket" in window)) return;

  function $(selector, within) { return (within || document).querySelector(selector); }
  function $$(selector, within) { return Array.prototype.slice.call((within || document).querySelectorAll(selector)); }
  function slot(el, name) { return $("[data-slot=\"" + name + "\"]", el); }
  function toNumber(value) { return parseInt(value, 10) || 0; }
  function show(el, visible) { if (el) el.hidden = !visible; }

  var listEl = $("[data-questions]", root);
  var emptyEl = $("[data-no-questions]", root);
  var announceEl = $("[data-announce]", root);
  var presenceEl = $("[data-presence]", root);
  var offlineEl = $("[data-offline]", root);
  var generalErrorEl = $("[data-room-error-general]", root);
  var pollsEl = $("[data-polls]", root);
  var noPollsEl = $("[data-no-polls]", root);
  var questionTemplate = document.getElementById("room-question-template");
  var pollTemplate = document.getElementById("room-poll-template");
  var speakerView = root.dataset.view === "speaker";
  var isModerator = root.dataset.moderator === "1";
  var lastId = toNumber(root.dataset.lastId);
  var changeSeq = toNumber(root.dataset.changeSeq);
  var i18n = {
    newQuestion: root.dataset.newQuestionLabel || "",
    asked: root.dataset.askedLabel || "",
    presence: root.dataset.presenceLabel || "",
    newPoll: root.dataset.newPollLabel || "",
    offline: root.dataset.offlineLabel || ""
  };
  var channel = null, connected = false, pendingForm = null, sortTimer = null;

  function announce(text) {
    if (!announceEl || !text) return;
    announceEl.textContent = "";  // the same words twice are read again only after a change
    setTimeout(function () { announceEl.textContent = text; }, 100);
  }

  // --- questions -------------------------------------------------------------------
  function questionEl(id) { return $("[data-question-id=\"" + id + "\"]", listEl); }

  function setVotes(el, votes) {
    el.dataset.votes = votes;
    var count = slot(el, "votes");
    if (count) count.textContent = votes;
  }

  // Which badges and moderation buttons apply follows the status and the highlight.
  function syncState(el) {
    var status = el.dataset.status, highlighted = el.dataset.highlighted === "1";
    var hadFocus = el.contains(document.activeElement);
    el.classList.toggle("room-question--highlighted", highlighted);
    ["visible", "answered", "hidden"].forEach(function (name) {
      el.classList.toggle("room-question--" + name, status === name);
    });
    show(slot(el, "highlighted"), highlighted);
    show(slot(el, "answered"), status === "answered");
    show(slot(el, "hidden"), status === "hidden");
    show(slot(el, "vote"), status !== "hidden");
    $$("[data-show-when]", el).forEach(function (button) {
      var when = button.dataset.showWhen;
      button.hidden = !(when === status
        || (when === "shown" && status !== "hidden")
        || (when === "highlighted" && highlighted)
        || (when === "not-highlighted" && !highlighted && status !== "hidden"));
    });
    // The button just pressed may have been swapped for its opposite: keep the keyboard
    // in the same question instead of dropping it on the page.
    if (hadFocus && !el.contains(document.activeElement)) {
      var next = $$("button", el).filter(function (button) { return !button.hidden; })[0];
      if (next) next.focus();
    }
  }

  function fill(el, q) {
    el.dataset.questionId = q.id;
    el.dataset.status = q.status;
    el.dataset.highlighted = q.highlighted ? "1" : "0";
    slot(el, "text").textContent = q.text;
    slot(el, "author").textContent = q.author ? q.author.name : "";
    setVotes(el, q.votes);
    $$("[data-slot=\"id\"]", el).forEach(function (input) { input.value = q.id; });
    syncState(el);
  }

  function build(q) {
    var holder = document.createElement("div");
    holder.innerHTML = questionTemplate.innerHTML.trim();
    var el = holder.firstElementChild;
    fill(el, q);
    return el;
  }

  // Open questions first (the highlighted one on top, then by votes), answered last.
  function rank(el) {
    return [el.dataset.status === "answered" ? 1 : 0, el.dataset.highlighted === "1" ? 0 : 1,
      -toNumber(el.dataset.votes), toNumber(el.dataset.questionId)];
  }
  function compare(a, b) {
    var ra = rank(a), rb = rank(b);
    for (var i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  }
  // A burst of votes reorders the list once.
  function sortSoon() {
    if (sortTimer) return;
    sortTimer = setTimeout(function () {
      sortTimer = null;
      var items = $$("[data-question-id]", listEl);
      var sorted = items.slice().sort(compare);
      if (sorted.every(function (el, i) { return el === items[i]; })) return;
      var focused = document.activeElement;
      sorted.forEach(function (el) { listEl.appendChild(el); });
      if (focused && listEl.contains(focused) && document.activeElement !== focused) focused.focus();
    }, 150);
  }

  function updateEmpty() { show(emptyEl, !$("[data-question-id]", listEl)); }

  function onQuestion(event) {
    var q = event.question;
    if (!q) return;
    if (event.type === "question.created") {
      // The question before this one never arrived (lost while the channel layer was
      // down): ask for everything after the last one we have.
      var gap = !event.replay && event.prev > lastId;
      if (gap && channel) resume();
      // Past a gap lastId stays put until resume.done: if the socket drops first, the
      // next connection asks for the missing question again instead of resuming after it.
      if (!gap) lastId = Math.max(lastId, q.id);
    }
    var el = questionEl(q.id);
    var shown = speakerView ? q.status === "visible" : (q.status !== "hidden" || isModerator);
    if (!shown) {
      if (el) el.remove();
    } else if (el) {
      fill(el, q);
    } else {
      listEl.appendChild(build(q));
      var mine = q.author && String(q.author.id) === root.dataset.userId;
      if (event.type === "question.created" && !event.replay && !mine) {
        announce(i18n.newQuestion.replace("{text}", q.text));
      }
    }
    updateEmpty();
    sortSoon();
  }

  function onHidden(id) {
    var el = questionEl(id);
    if (!el) return;
    if (isModerator && !speakerView) {
      el.dataset.status = "hidden";
      el.dataset.highlighted = "0";
      syncState(el);
    } else {
      el.remove();
    }
    updateEmpty();
    sortSoon();
  }

  function onVotes(event) {
    var el = questionEl(event.id);
    if (!el) return;
    if (event.type === "voted") {
      var button = slot(el, "vote");
      if (button) button.setAttribute("aria-pressed", event.voted ? "true" : "false");
    }
    if (typeof event.votes === "number") setVotes(el, event.votes);
    sortSoon();
  }

  // --- polls -------------------------------------------------------------------------
  function pollEl(id) { return pollsEl ? $("[data-poll-id=\"" + id + "\"]", pollsEl) : null; }

  function buildPoll(p) {
    var holder = document.createElement("div");
    holder.innerHTML = pollTemplate.innerHTML.trim();
    var el = holder.firstElementChild;
    el.dataset.pollId = p.id;
    slot(el, "question").textContent = p.question;
    slot(el, "legend").textContent = p.question;
    $$("[data-slot=\"id\"]", el).forEach(function (input) { input.value = p.id; });
    var optionRow = $("[data-option-template]", el), resultRow = $("[data-result-template]", el);
    p.options.forEach(function (option) {
      var row = optionRow.cloneNode(true);
      row.removeAttribute("data-option-template");
      $("input", row).value = option.id;
      slot(row, "option-text").textContent = option.text;
      optionRow.parentNode.appendChild(row);
      var result = resultRow.cloneNode(true);
      result.removeAttribute("data-result-template");
      result.dataset.optionId = option.id;
      slot(result, "option-text").textContent = option.text;
      resultRow.parentNode.appendChild(result);
    });
    optionRow.remove();
    resultRow.remove();
    return el;
  }

  function showResults(el, p) {
    show(slot(el, "results"), true);
    slot(el, "total").textContent = p.votes;
    p.options.forEach(function (option) {
      var row = $("[data-option-id=\"" + option.id + "\"]", el);
      if (!row) return;
      var percent = p.votes ? Math.round(100 * option.votes / p.votes) : 0;
      slot(row, "percent").textContent = percent;
      slot(row, "count").textContent = option.votes;
      slot(row, "bar").style.width = percent + "%";
    });
  }

  function onPoll(event) {
    var p = event.poll;
    if (!p || !pollsEl) return;
    var el = pollEl(p.id);
    if (!el) {
      el = buildPoll(p);
      pollsEl.prepend(el);
      if (event.type === "poll.opened" && !event.replay) announce(i18n.newPoll.replace("{text}", p.question));
    }
    var closed = p.status === "closed";
    el.dataset.status = p.status;
    el.classList.toggle("room-poll--closed", closed);
    show(slot(el, "closed"), closed);
    show(slot(el, "close-form"), !closed);
    if (closed) show(slot(el, "vote-form"), false);
    if (typeof p.votes === "number") showResults(el, p);  // counts come to voters only
    show(noPollsEl, false);
  }

  function onPollAnswered(event) {
    var el = pollEl(event.id);
    if (!el) return;
    show(slot(el, "vote-form"), false);
    var row = $("[data-option-id=\"" + event.option + "\"]", el);
    if (row) row.classList.add("room-poll__mine");
    var results = slot(el, "results");
    results.tabIndex = -1;
    results.focus();  // the form the focus was in is gone
  }

  // --- forms over the socket ----------------------------------------------------------
  function errorElFor(form) { return (form && $("[data-room-error]", form)) || generalErrorEl; }
  function showError(form, text) {
    var el = errorElFor(form);
    if (!el) return;
    el.textContent = text || "";
    el.hidden = !text;
  }

  function frameFor(form, submitter) {
    var data = new FormData(form);
    function id(name) { return toNumber(data.get(name)); }
    switch (data.get("action")) {
      case "ask": return { type: "ask", text: data.get("text") || "" };
      case "vote": return { type: "vote", id: id("question") };
      case "moderate": return { type: "moderate", id: id("question"), action: submitter ? submitter.value : "" };
      case "poll_open": return { type: "poll.open", question: data.get("question") || "", options: String(data.get("options") || "").split("\n") };
      case "poll_vote": return { type: "poll.vote", id: id("poll"), option: id("option") };
      case "poll_close": return { type: "poll.close", id: id("poll") };
    }
    return null;
  }

  root.addEventListener("submit", function (event) {
    var form = event.target.closest("[data-room-form]");
    if (!form || !connected) return;  // no live connection: the form posts as usual
    var frame = frameFor(form, event.submitter);
    if (!frame) return;
    event.preventDefault();
    if (!channel.send(frame)) { form.submit(); return; }
    pendingForm = form;
    showError(form, "");
  });

  function onDone(event) {
    var form = pendingForm;
    pendingForm = null;
    if (!form) return;
    showError(form, "");
    if (event.type === "asked") {
      var text = $("textarea[name=text]", form);
      if (text) { text.value = ""; text.focus(); }
      announce(i18n.asked);
    } else if ($("[name=options]", form)) {
      form.reset();  // the new poll is on screen
      var details = form.closest("details");
      if (details) details.open = false;
    }
  }

  // --- the socket (Campus.liveSocket: backoff with jitter, heartbeat) ----------------
  var revoked = "";  // why the server sent this person out of the room, if it did
  function resume() {
    channel.send({ type: "resume", last_id: lastId, since: changeSeq });
  }

  function handle(event) {
    switch (event.type) {
      case "question.created": case "question.updated": onQuestion(event); break;
      case "question.hidden": onHidden(event.id); break;
      case "question.voted": case "voted": onVotes(event); break;
      case "poll.opened": case "poll.voted": case "poll.closed": onPoll(event); break;
      case "poll.answered": onPollAnswered(event); onDone(event); break;
      case "asked": case "done": onDone(event); break;
      case "error": showError(pendingForm, event.message); pendingForm = null; break;
      case "access.revoked":
        // The place was cancelled: the server closes with 4403 right after (no retry).
        revoked = event.message || "";
        if (offlineEl) { offlineEl.textContent = revoked; offlineEl.hidden = false; }
        break;
      case "pong":
        // A live event lost on the way (and no later one to reveal the gap): catch up.
        if ((event.last_id || 0) > lastId || (event.seq || 0) > changeSeq) resume();
        break;
      case "resume.done":
        lastId = Math.max(lastId, event.last_id || 0);
        changeSeq = Math.max(changeSeq, event.seq || 0);
        break;
      case "presence":
        if (presenceEl && typeof event.count === "number") {
          presenceEl.textContent = i18n.presence.replace("{count}", event.count);
        }
        break;
    }
  }

  channel = Campus.liveSocket(root.dataset.wsPath, {
    open: function (ws) {
      connected = true;
      root.dataset.connected = "1";
      show(offlineEl, false);
      ws.send(JSON.stringify({ type: "resume", last_id: lastId, since: changeSeq }));
    },
    message: handle,
    close: function () {
      connected = false;
      root.dataset.connected = "0";
      if (offlineEl) { offlineEl.textContent = revoked || i18n.offline; offlineEl.hidden = false; }
    }
  });
})();
