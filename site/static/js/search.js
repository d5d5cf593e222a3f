// The header's search box suggests titles as you type (ARIA 1.2 combobox with a listbox).
// Without this file the box is an ordinary form that submits to the results page.
// Labels come from the template's data-*-label attributes.
(function () {
  "use strict";
  var input = document.querySelector("[data-search-autocomplete]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.dataset.searchListbox);
  if (!list) return;
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  var status = document.querySelector("[data-search-status]");
  var endpoint = input.dataset.searchAutocomplete;
  var timer = null, active = -1, items = [], controller = null, lastQuery = "";

  function close() {
    list.hidden = true;
    list.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
    items = [];
  }

  function select(index) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function render(results) {
    list.textContent = "";
    items = results;
    results.forEach(function (result, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      var link = document.createElement("a");
      link.href = result.url;
      link.tabIndex = -1;
      link.textContent = result.title;
      var kind = document.createElement("span");
      kind.className = "search-suggest__kind";
      kind.textContent = result.kind;
      link.appendChild(kind);
      option.appendChild(link);
      option.addEventListener("mousedown", function (event) { event.preventDefault(); });
      option.addEventListener("click", function () { location.href = result.url; });
      list.appendChild(option);
    });
    var open = results.length > 0;
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    active = -1;
    if (status) {
      status.textContent = open
        ? results.length + " " + status.dataset.countLabel
        : (input.value.trim() ? status.dataset.noneLabel : "");
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    if (query.length < 2) { close(); return; }
    if (controller) controller.abort();
    controller = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" }, signal: controller.signal
    })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) { if (input.value.trim() === query) render(data.results || []); })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown") {
      if (list.hidden) { lastQuery = ""; fetchSuggestions(); return; }
      event.preventDefault();
      select(active + 1);
    } else if (event.key === "ArrowUp" && !list.hidden) {
      event.preventDefault();
      select(active - 1);
    } else if (event.key === "Escape" && !list.hidden) {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && active >= 0 && items[active]) {
      // A chosen suggestion opens; otherwise Enter submits the form as usual.
      event.preventDefault();
      location.href = items[active].url;
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
