/* Agenda: show every event time in the visitor's own time zone.
   The server writes times in the site's zone inside <time datetime="…Z" data-local="…">;
   here the browser rewrites them with its zone and language (Intl), and fills the
   element marked [data-visitor-zone] with the zone's name. Without JavaScript the
   page still says which zone its times are in. */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) return;
  var lang = document.documentElement.lang || "es";
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var styles = {
    datetime: { dateStyle: "full", timeStyle: "short" },
    date: { dateStyle: "full" },
    time: { timeStyle: "short" },
    day: { day: "numeric" },
    month: { month: "short" }
  };
  var formatters = {};
  function formatter(style) {
    if (!formatters[style]) {
      try { formatters[style] = new Intl.DateTimeFormat(lang, styles[style] || styles.datetime); }
      catch (e) { formatters[style] = new Intl.DateTimeFormat(lang); }
    }
    return formatters[style];
  }
  var times = document.querySelectorAll("time[data-local][datetime]");
  for (var i = 0; i < times.length; i++) {
    var value = new Date(times[i].getAttribute("datetime"));
    if (isNaN(value.getTime())) continue;
    times[i].textContent = formatter(times[i].getAttribute("data-local")).format(value);
  }
  var labels = document.querySelectorAll("[data-visitor-zone]");
  for (var j = 0; j < labels.length; j++) {
    var template = labels[j].getAttribute("data-visitor-zone");
    labels[j].textContent = template.replace("{zone}", zone.replace(/_/g, " "));
  }
})();
