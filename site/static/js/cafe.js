// Café con AL-LAs: live debate, posting through fetch, toolbar, mentions, drafts.
// Progressive enhancement only: every form works without this file.
// The server is the source of truth: on every (re)connect we send the last post id we
// have and the server replays everything after it; posts are de-duplicated by id.
// Reconnects back off exponentially with full jitter, so a restarted server or Redis is
// not hit by every reader at the same instant.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $$(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function csrfToken(form) {
    var input = $("input[name=csrfmiddlewaretoken]", form || document);
    return input ? input.value : "";
  }
  function post(url, data, form) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken(form) }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        json._status = response.status;
        return json;
      });
    });
  }

  // --- formatting toolbar -------------------------------------------------------------
  function setupToolbar(toolbar) {
    var textarea = document.getElementById(toolbar.getAttribute("aria-controls"));
    if (!textarea) return;
    toolbar.hidden = false;
    function replaceSelection(build) {
      var start = textarea.selectionStart, end = textarea.selectionEnd;
      var selected = textarea.value.slice(start, end);
      var text = build(selected);
      textarea.setRangeText(text, start, end, "end");
      textarea.focus();
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    }
    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.wrap) {
        var tag = button.dataset.wrap;
        replaceSelection(function (s) { return "<" + tag + ">" + s + "</" + tag + ">"; });
      } else if (button.dataset.list) {
        var list = button.dataset.list;
        replaceSelection(function (s) {
          var items = (s || "").split("\n").filter(Boolean);
          if (!items.length) items = [""];
          return "<" + list + ">\n" + items.map(function (line) { return "<li>" + line + "</li>"; }).join("\n") + "\n</" + list + ">";
        });
      } else if (button.hasAttribute("data-link")) {
        var url = window.prompt(button.dataset.prompt, "https://");
        if (!url || !/^(https?:\/\/|mailto:)/i.test(url)) return;
        replaceSelection(function (s) {
          var safeUrl = url.replace(/"/g, "%22");
          return "<a href=\"" + safeUrl + "\">" + (s || url) + "</a>";
        });
      }
    });
    // Keyboard: arrows move between the toolbar's buttons (one tab stop for the group).
    var buttons = $$("button", toolbar);
    buttons.forEach(function (b, i) { b.tabIndex = i === 0 ? 0 : -1; });
    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      var next = null;
      if (event.key === "ArrowRight") next = buttons[(index + 1) % buttons.length];
      if (event.key === "ArrowLeft") next = buttons[(index - 1 + buttons.length) % buttons.length];
      if (next) {
        event.preventDefault();
        buttons[index].tabIndex = -1; next.tabIndex = 0; next.focus();
      }
    });
  }
  $$("[data-cafe-toolbar]").forEach(setupToolbar);

  // --- the debate page --------------------------------------------------------------
  var root = $("[data-cafe-debate]");
  if (!root) return;
  var postsEl = $("[data-posts]", root);
  var announceEl = $("[data-announce]", root);
  var typingEl = $("[data-typing]", root);
  var presenceEl = $("[data-presence]", root);
  var newPostsEl = $("[data-new-posts]", root);
  var template = document.getElementById("cafe-post-template");
  var form = $("[data-cafe-reply]", root);
  var textarea = form ? $("textarea[name=body]", form) : null;
  var userId = root.dataset.userId;
  var isModerator = root.dataset.moderator === "1";
  var live = root.dataset.live === "1";
  var lastId = parseInt(root.dataset.lastId || "0", 10) || 0;
  // The debate's change number when the page was read: on (re)connect the server sends
  // the current state of the posts edited, hidden, restored or reacted to after it.
  var changeSeq = parseInt(root.dataset.changeSeq || "0", 10) || 0;
  var seen = {}, firstId = Infinity;
  $$("[data-post-id]", postsEl).forEach(function (el) {
    seen[el.dataset.postId] = true;
    firstId = Math.min(firstId, parseInt(el.dataset.postId, 10));
  });
  var dateFormat = window.Intl ? new Intl.DateTimeFormat(document.documentElement.lang || "es", { dateStyle: "medium", timeStyle: "short" }) : null;
  // Every word shown or spoken comes translated from the template (data-*-label).
  var i18n = {
    typing: root.dataset.typingLabel,
    reading: root.dataset.readingLabel,
    newPost: root.dataset.newPostLabel,
    draftSaved: root.dataset.draftSavedLabel,
    posted: root.dataset.postedLabel,
    pending: root.dataset.pendingLabel,
    quoting: root.dataset.quotingLabel
  };
  var channel = null, lastTypingSent = 0;

  // What to send to catch up: everything after lastId but the posts after it shown
  // already (after a gap lastId stays before it, see onPost), so none comes twice.
  function resumeFrame() {
    var have = Object.keys(seen).map(Number).filter(function (id) { return id > lastId; });
    return { type: "resume", last_id: lastId, since: changeSeq, have: have.slice(-500) };
  }

  function announce(text) { if (announceEl) announceEl.textContent = text; }
  function slot(el, name) { return $("[data-slot=\"" + name + "\"]", el); }

  function buildPost(p) {
    var html = template.innerHTML
      .replace(/\/mensajes\/0\//g, "/mensajes/" + p.id + "/")
      .replace(/m-0(?=["-])/g, "m-" + p.id)
      .replace(/citar=0#/g, "citar=" + p.id + "#");
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var el = holder.firstElementChild;
    el.dataset.postId = p.id;
    el.dataset.authorId = p.author.id || "";
    if (p.status && p.status !== "visible") el.classList.add("cafe-post--" + p.status);
    fillPost(el, p);
    var mine = userId && String(p.author.id) === userId;
    var edit = $("[data-cafe-edit]", el);
    if (edit) edit.hidden = !(mine || isModerator);
    var report = $("[data-cafe-report]", el);
    if (report && mine) report.hidden = true;
    return el;
  }

  function fillPost(el, p) {
    slot(el, "author").textContent = p.author.name;
    var avatar = slot(el, "avatar");
    if (avatar) {
      avatar.textContent = "";
      if (p.author.photo) {
        var img = document.createElement("img");
        img.className = "avatar avatar--sm"; img.alt = ""; img.width = 40; img.height = 40; img.src = p.author.photo;
        avatar.appendChild(img);
      } else {
        var span = document.createElement("span");
        span.className = "avatar avatar--sm avatar--initials"; span.setAttribute("aria-hidden", "true");
        span.textContent = p.author.initials;
        avatar.appendChild(span);
      }
    }
    slot(el, "expert").hidden = !p.author.expert;
    var time = slot(el, "time");
    time.setAttribute("datetime", p.created_at);
    time.textContent = dateFormat ? dateFormat.format(new Date(p.created_at)) : p.created_at;
    slot(el, "edited").hidden = !p.edited;
    // body_html was cleaned on the server by the Café's single bleach policy.
    slot(el, "body").innerHTML = p.body_html;
    var quote = slot(el, "quote");
    if (quote) {
      quote.hidden = !p.quote;
      if (p.quote && !p.quote.hidden) {
        var link = slot(quote, "quote-link");
        if (link) {
          link.href = "#m-" + p.quote.id;
          link.textContent = link.textContent.replace("__AUTHOR__", p.quote.author);
        }
        var qtext = slot(quote, "quote-text");
        if (qtext) qtext.textContent = p.quote.excerpt;
      }
    }
  }

  function insertPost(el, id) {
    var after = null;
    $$("[data-post-id]", postsEl).forEach(function (other) {
      if (parseInt(other.dataset.postId, 10) < id) after = other;
    });
    var empty = $(".empty, .empty-state", postsEl);
    if (empty) empty.remove();
    if (after) after.after(el); else postsEl.prepend(el);
  }

  function onPost(event) {
    var p = event.post;
    if (!p || seen[p.id]) return;
    var gap = event.type === "post.created" && !event.replay && event.prev > lastId;
    if (gap && channel) {
      // The post before this one never arrived live (lost while the server's channel
      // layer was down): fetch everything after the last one we have.
      channel.send(resumeFrame());
    }
    // Past a gap lastId stays put until resume.done: if the socket drops first, the next
    // connection asks for the missing post again instead of resuming after it.
    if (event.type === "post.created" && !gap) lastId = Math.max(lastId, p.id);
    if (!live) {
      if (newPostsEl) newPostsEl.hidden = false;
      return;
    }
    seen[p.id] = true;
    insertPost(buildPost(p), p.id);
    if (!event.replay) announce(i18n.newPost.replace("{name}", p.author.name));
    if (document.visibilityState === "visible") markReadSoon();
  }

  // Read marks are a database write: one every few seconds at most, however busy the debate.
  var readTimer = null;
  function markReadSoon() {
    if (readTimer) return;
    readTimer = setTimeout(function () {
      readTimer = null;
      if (channel) channel.send({ type: "read", last_id: lastId });
    }, 3000);
  }

  function onUpdate(p) {
    var el = $("[data-post-id=\"" + p.id + "\"]", postsEl);
    if (!el) {
      // A post restored or approved here, not one that belongs to an earlier page.
      if (p.id > firstId || firstId === Infinity) onPost({ type: "post.created", post: p, replay: true });
      return;
    }
    el.classList.remove("cafe-post--hidden", "cafe-post--pending");
    fillPost(el, p);
  }

  function onHidden(id) {
    var el = $("[data-post-id=\"" + id + "\"]", postsEl);
    if (!el) return;
    if (isModerator) { el.classList.add("cafe-post--hidden"); return; }
    el.remove();
    delete seen[id];
  }

  function onReaction(event) {
    var el = $("[data-post-id=\"" + event.id + "\"]", postsEl);
    if (!el) return;
    $$("[data-count]", el).forEach(function (count) {
      var n = event.counts[count.dataset.count] || 0;
      count.textContent = String(n);
      var holder = count.closest("[data-cafe-react-static] .cafe-reaction");
      if (holder) holder.hidden = !n;
    });
  }

  var typists = {}, moreTypists = 0, moreTypistsTimer = null;
  function renderTyping() {
    var names = Object.keys(typists).map(function (k) { return typists[k].name; });
    if (!names.length) { typingEl.textContent = ""; return; }
    var label = names.join(", ") + (moreTypists > 0 ? " +" + moreTypists : "");
    typingEl.textContent = i18n.typing.replace("{name}", label);
  }
  // One event a second per debate names a few typists and counts the rest.
  function onTyping(event) {
    var shown = 0;
    (event.typists || []).forEach(function (typist) {
      if (String(typist.id) === userId) return;
      shown += 1;
      if (typists[typist.id]) clearTimeout(typists[typist.id].timer);
      typists[typist.id] = {
        name: typist.name,
        timer: setTimeout(function () { delete typists[typist.id]; renderTyping(); }, 4000)
      };
    });
    var listed = (event.typists || []).length;
    moreTypists = Math.max(0, (event.count || listed) - listed);
    clearTimeout(moreTypistsTimer);
    moreTypistsTimer = setTimeout(function () { moreTypists = 0; renderTyping(); }, 4000);
    if (shown || moreTypists) renderTyping();
  }

  // Members get up to twenty names and the count; guests the count only.
  function onPresence(event) {
    if (!presenceEl) return;
    var readers = event.readers || [];
    var count = typeof event.count === "number" ? event.count : readers.length;
    // The reader knows they are here: the line names the others only.
    var others = readers.filter(function (r) { return String(r.id) !== userId; });
    if (others.length < readers.length) count -= readers.length - others.length;
    readers = others;
    var label = readers.map(function (r) { return r.name; }).join(", ");
    if (count > readers.length) label = label ? label + " +" + (count - readers.length) : String(count);
    presenceEl.textContent = count ? i18n.reading.replace("{names}", label) : "";
  }

  function handle(event) {
    switch (event.type) {
      case "post.created": case "post.pending": onPost(event); break;
      case "post.updated": onUpdate(event.post); break;
      case "post.hidden": onHidden(event.id); break;
      case "reaction.changed": onReaction(event); break;
      case "resume.done":
        changeSeq = Math.max(changeSeq, event.seq || 0);
        lastId = Math.max(lastId, event.last_id || 0);  // everything up to it has been sent
        break;
      case "pong":
        // A live event lost on the way (and no later post to reveal the gap): catch up.
        if (channel && (event.last_id > lastId || event.seq > changeSeq)) {
          channel.send(resumeFrame());
        }
        break;
      case "typing": onTyping(event); break;
      case "presence": onPresence(event); break;
      case "debate.updated":
        var badge = $("[data-locked-badge]", root);
        if (badge) badge.hidden = !event.locked;
        break;
    }
  }

  // --- the socket (Campus.liveSocket: backoff with jitter, heartbeat) ---------------
  if ("WebSocket" in window && window.Campus) {
    channel = Campus.liveSocket(root.dataset.wsPath, {
      open: function (ws) {
        root.dataset.connected = "1";
        ws.send(JSON.stringify(resumeFrame()));
      },
      message: handle,
      close: function () { root.dataset.connected = "0"; },
    });
  }

  if (!form || !textarea) return;

  // --- replying -----------------------------------------------------------------------
  var errorEl = $("[data-reply-error]", form);
  var draftStatus = $("[data-draft-status]", form);
  var quoteInput = $("input[name=quote_of]", form);
  var quoting = $("[data-quoting]", form);
  var draftTimer = null;

  function showError(text) {
    errorEl.textContent = text || "";
    errorEl.hidden = !text;
  }

  function saveDraft() {
    var data = new FormData();
    data.append("body", textarea.value);
    post(root.dataset.draftUrl, data, form).then(function (json) {
      if (draftStatus) draftStatus.textContent = json.saved ? i18n.draftSaved : "";
    }).catch(function () {});
  }

  textarea.addEventListener("input", function () {
    clearTimeout(draftTimer);
    draftTimer = setTimeout(saveDraft, 1500);
    var now = Date.now();
    if (channel && now - lastTypingSent > 2500 && channel.send({ type: "typing" })) {
      lastTypingSent = now;
    }
  });

  // The button is not disabled while sending: a disabled button loses the keyboard
  // focus to <body>. aria-disabled and this flag keep a second press from posting twice.
  var sending = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) return;
    var data = new FormData(form);
    if (event.submitter && event.submitter.name === "action") {
      data.append("action", event.submitter.value);
    }
    showError("");
    var button = $("button[type=submit]", form);
    // What was sent: text typed while it travels is a new message and must survive.
    var sentBody = textarea.value, sentQuote = quoteInput ? quoteInput.value : "";
    sending = true;
    button.setAttribute("aria-disabled", "true");
    function done() { sending = false; button.removeAttribute("aria-disabled"); }
    post(form.getAttribute("action"), data, form).then(function (json) {
      done();
      if (json._status === 201) {
        if (textarea.value === sentBody) {
          clearTimeout(draftTimer);
          textarea.value = "";
        }
        if (quoteInput && quoteInput.value === sentQuote) {
          quoteInput.value = "";
          if (quoting) quoting.hidden = true;
        }
        if (json.post && json.post.status === "visible") {
          onPost({ type: "post.created", post: json.post, replay: true });
        } else if (json.post) {
          // Held for approval: shown to its author only, marked as pending.
          live = true;
          onPost({ type: "post.pending", post: json.post, replay: true });
        }
        showPosted(json);
      } else if (json.saved) {
        if (draftStatus) draftStatus.textContent = i18n.draftSaved;
      } else {
        var fields = json.fields && json.fields.body;
        showError(json.error + (fields ? " " + fields.map(function (f) { return f.message; }).join(" ") : ""));
      }
    }).catch(function () {
      done();
      form.submit();  // the network failed: fall back to the plain form
    });
  });

  // Focus moves to the new post (or, on an earlier page, to the link to the last one),
  // so keyboard and screen reader users continue from what they wrote; the live region
  // says what happened, a moment later so the focus change is not talked over.
  function showPosted(json) {
    var el = $("[data-post-id=\"" + json.id + "\"]", postsEl);
    var target = el || (newPostsEl && !newPostsEl.hidden ? $("a", newPostsEl) : null);
    if (el) el.tabIndex = -1;
    if (target) target.focus();
    var pending = json.post && json.post.status !== "visible";
    announce("");  // the same words twice in a row are read again only after a change
    setTimeout(function () { announce(pending ? i18n.pending : i18n.posted); }, 150);
  }

  postsEl.addEventListener("click", function (event) {
    var quote = event.target.closest("[data-cafe-quote]");
    if (!quote || !quoteInput) return;
    event.preventDefault();
    var article = quote.closest("[data-post-id]");
    quoteInput.value = article.dataset.postId;
    var text = $("[data-quoting-text]", form);
    var author = slot(article, "author").textContent;
    var excerpt = slot(article, "body").textContent.trim().slice(0, 160);
    text.textContent = i18n.quoting.replace("{name}", author) + ": «" + excerpt + "»";
    quoting.hidden = false;
    textarea.focus();
  });
  var cancelQuote = $("[data-quoting-cancel]", form);
  if (cancelQuote) cancelQuote.addEventListener("click", function () {
    quoteInput.value = ""; quoting.hidden = true; textarea.focus();
  });

  postsEl.addEventListener("submit", function (event) {
    var reactForm = event.target.closest("[data-cafe-react]");
    if (!reactForm) return;
    event.preventDefault();
    var button = event.submitter;
    var data = new FormData(reactForm);
    if (button) data.append("kind", button.value);
    post(reactForm.getAttribute("action"), data, reactForm).then(function (json) {
      if (json._status !== 200) { announce(json.error || ""); return; }
      var article = reactForm.closest("[data-post-id]");
      onReaction({ id: article.dataset.postId, counts: json.counts });
      if (button) button.setAttribute("aria-pressed", json.added ? "true" : "false");
    });
  });

  // --- @mentions autocomplete --------------------------------------------------------
  var mentions = $("[data-mentions]", form);
  var mentionTimer = null, options = [], active = -1;
  function mentionQuery() {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = /(^|\s)@([\w.-]{1,40})$/.exec(before);
    return match ? match[2] : null;
  }
  function closeMentions() { mentions.hidden = true; mentions.textContent = ""; options = []; active = -1; textarea.removeAttribute("aria-activedescendant"); }
  function choose(index) {
    var option = options[index];
    if (!option) return;
    var start = textarea.selectionStart;
    var before = textarea.value.slice(0, start).replace(/@[\w.-]*$/, "@" + option.handle + " ");
    textarea.value = before + textarea.value.slice(start);
    textarea.selectionStart = textarea.selectionEnd = before.length;
    closeMentions();
    textarea.focus();
  }
  function highlight(index) {
    active = index;
    $$("[role=option]", mentions).forEach(function (el, i) { el.setAttribute("aria-selected", i === index ? "true" : "false"); });
    if (index >= 0) textarea.setAttribute("aria-activedescendant", "mencion-" + index);
  }
  if (mentions) {
    textarea.addEventListener("input", function () {
      clearTimeout(mentionTimer);
      var query = mentionQuery();
      if (!query || query.length < 2) { closeMentions(); return; }
      mentionTimer = setTimeout(function () {
        fetch(root.dataset.searchUrl + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(function (json) {
            options = json.results || [];
            mentions.textContent = "";
            options.forEach(function (option, i) {
              var el = document.createElement("div");
              el.id = "mencion-" + i; el.setAttribute("role", "option"); el.className = "cafe-mention";
              el.textContent = option.name + " · @" + option.handle;
              el.addEventListener("mousedown", function (e) { e.preventDefault(); choose(i); });
              mentions.appendChild(el);
            });
            mentions.hidden = !options.length;
            highlight(options.length ? 0 : -1);
          }).catch(closeMentions);
      }, 200);
    });
    textarea.addEventListener("keydown", function (event) {
      if (mentions.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % options.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + options.length) % options.length); }
      else if (event.key === "Enter" || event.key === "Tab") { event.preventDefault(); choose(active); }
      else if (event.key === "Escape") { closeMentions(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(closeMentions, 150); });
  }
})();
