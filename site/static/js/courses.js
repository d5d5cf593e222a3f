/* Courses: small progressive enhancements; every action works without this file. */
(function () {
  "use strict";

  // After a quiz submission the server redirects to #resultado: move focus there so
  // screen readers announce the score and feedback first.
  var result = document.getElementById("resultado");
  if (result && window.location.hash === "#resultado") {
    result.focus();
  }

  // Stop a double click from sending the same quiz twice (it would use two attempts).
  document.querySelectorAll("form[data-quiz]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });
})();
